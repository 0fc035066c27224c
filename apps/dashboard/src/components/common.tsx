import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  EmptyState,
  Group,
  Modal,
  Stack,
  Text,
  Title,
  Tooltip,
  type ButtonProps,
} from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ErrorState, LoadingState } from './states';

export { ErrorState, LoadingState };

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="md" wrap="wrap" gap="sm">
      <div>
        <Title order={2}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm" mt={4}>
            {description}
          </Text>
        )}
      </div>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

export function Empty({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState title={title} description={description} py="xl">
      {action}
    </EmptyState>
  );
}

/** Loading, error and data states of a query in one place. */
export function QueryView<T>({
  query,
  children,
  loadingLabel,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (query.isPending) return <LoadingState label={loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

/** A button disabled (with the reason as its tooltip) when the user may not act. */
export function GuardedButton({
  reason,
  children,
  ...props
}: ButtonProps & { reason: string | null; onClick?: () => void; type?: 'button' | 'submit'; 'aria-label'?: string; children: ReactNode }) {
  const button = (
    <Button {...props} disabled={props.disabled || reason !== null}>
      {children}
    </Button>
  );
  return reason ? (
    <Tooltip label={reason} withArrow>
      <span style={{ display: 'inline-block' }}>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

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

/** A value with a copy button (client ids, issuers, secrets). */
export function CopyValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="center">
      <Code data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? <CheckIcon /> : <CopyIcon />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function CopyIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <rect x="9" y="9" width="12" height="12" rx="2" />
      <path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M20 6 9 17l-5-5" />
    </svg>
  );
}

/** The one time a client secret is shown. */
export function SecretModal({ secret, clientId, onClose }: { secret: string | null; clientId: string; onClose: () => void }) {
  return (
    <Modal opened={secret !== null} onClose={onClose} title="Client secret" centered size="lg" closeOnClickOutside={false}>
      <Stack>
        <Alert color="yellow" variant="light" title="Shown once">
          Copy the secret now and store it safely: Tessera keeps only a hash and cannot show it again.
        </Alert>
        <Text size="sm">
          Client ID: <Code>{clientId}</Code>
        </Text>
        {secret && (
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Stack gap="xs">
                <Code block data-testid="client-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                  {secret}
                </Code>
                <Group>
                  <Button onClick={copy} color={copied ? 'teal' : undefined}>
                    {copied ? 'Copied' : 'Copy secret'}
                  </Button>
                </Group>
              </Stack>
            )}
          </CopyButton>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}

export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
