import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';

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
