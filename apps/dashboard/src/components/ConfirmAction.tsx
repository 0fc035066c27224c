import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { GuardedButton } from './GuardedButton';
import { ErrorState } from './states';

/**
 * A destructive action behind a confirmation dialog. The dialog stays open with the error if the
 * action fails.
 */
export function ConfirmAction({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  reason = null,
  color = 'red',
  buttonProps,
}: {
  label: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  reason?: string | null;
  color?: string;
  buttonProps?: ButtonProps & { 'aria-label'?: string };
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <GuardedButton reason={reason} color={color} variant="light" size="xs" {...buttonProps} onClick={() => setOpen(true)}>
        {label}
      </GuardedButton>
      <Modal opened={open} onClose={() => !busy && setOpen(false)} title={title} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          {error !== null && <ErrorState error={error} title="That did not work" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </Button>
            <Button color={color} onClick={() => void confirm()} loading={busy} data-autofocus>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
