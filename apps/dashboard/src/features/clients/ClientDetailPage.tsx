import { Anchor, Badge, Grid, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { readOnlyReason } from '../../api/roles';
import { ConfirmAction } from '../../components/ConfirmAction';
import { CopyValue } from '../../components/CopyValue';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { QueryView } from '../../components/QueryView';
import { useScopeNames } from '../scopes/api';
import { useTenant } from '../tenants/TenantLayout';
import { useRevokeTokens } from '../tokens/api';
import { useClient, useDeleteClient, useRotateClientSecret, useUpdateClient } from './api';
import { ClientForm } from './ClientForm';
import { formValuesOf } from './clientSchema';
import { SecretModal } from './SecretModal';
import { links } from '../../links';

export function ClientDetailPage() {
  const { tenant, permissions } = useTenant();
  const { clientId = '' } = useParams();
  const navigate = useNavigate();
  const scopes = useScopeNames(tenant.slug);
  const client = useClient(tenant.slug, clientId);
  const update = useUpdateClient(tenant.slug, clientId);
  const rotate = useRotateClientSecret(tenant.slug, clientId);
  const remove = useDeleteClient(tenant.slug, clientId);
  const revoke = useRevokeTokens(tenant.slug);
  const [secret, setSecret] = useState<string | null>(null);
  const reason = readOnlyReason(permissions);

  return (
    <QueryView query={client} loadingLabel="Loading the client…">
      {(c) => (
        <>
          <Anchor component={Link} to={links.tenant(tenant.slug, 'clients')} size="sm">
            ← Clients
          </Anchor>
          <PageHeader
            title={c.name}
            description={
              <Group gap="xs" component="span">
                <Badge variant="light">{c.type}</Badge>
                {c.firstParty && <Badge variant="light" color="teal">first party</Badge>}
                {c.builtIn && <Badge variant="light" color="gray">built in</Badge>}
              </Group>
            }
          />
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Paper withBorder p="md">
                <ClientForm
                  key={c.updatedAt}
                  mode="edit"
                  initialValues={formValuesOf(c)}
                  availableScopes={scopes.data ?? []}
                  legacy={tenant.settings}
                  readOnlyReason={reason}
                  onSubmit={async (body) => {
                    await update.mutateAsync(body);
                    notifications.show({ color: 'teal', message: 'Client saved' });
                  }}
                />
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <Paper withBorder p="md">
                  <Stack gap="xs">
                    <Text fw={600} size="sm">
                      Client ID
                    </Text>
                    <CopyValue value={c.clientId} label="client ID" testId="client-id" />
                    <Text size="xs" c="dimmed">
                      Created {formatDate(c.createdAt)} · updated {formatDate(c.updatedAt)}
                    </Text>
                  </Stack>
                </Paper>
                {c.type === 'confidential' && (
                  <Paper withBorder p="md">
                    <Stack gap="xs" align="flex-start">
                      <Text fw={600} size="sm">
                        Client secret
                      </Text>
                      <Text size="xs" c="dimmed">
                        {c.secretRotatedAt ? `Last rotated ${formatDate(c.secretRotatedAt)}` : 'Never rotated'}
                      </Text>
                      <ConfirmAction
                        label="Rotate secret"
                        title="Rotate the client secret?"
                        message="The current secret stops working at once. The new one is shown only once: update the application right away."
                        confirmLabel="Rotate secret"
                        color="orange"
                        reason={reason}
                        onConfirm={async () => setSecret((await rotate.mutateAsync()).clientSecret)}
                      />
                    </Stack>
                  </Paper>
                )}
                <Paper withBorder p="md">
                  <Stack gap="xs" align="flex-start">
                    <Text fw={600} size="sm">
                      Tokens
                    </Text>
                    <Anchor component={Link} to={links.grantsOfClient(tenant.slug, c.clientId)} size="sm">
                      Live grants of this client
                    </Anchor>
                    <ConfirmAction
                      label="Revoke all tokens"
                      title="Revoke every token of this client?"
                      message="All access and refresh tokens the client holds stop working; users must sign in again."
                      confirmLabel="Revoke all"
                      reason={reason}
                      onConfirm={async () => {
                        await revoke.mutateAsync({ clientId: c.clientId });
                        notifications.show({ color: 'teal', message: 'Every token of the client was revoked' });
                      }}
                    />
                  </Stack>
                </Paper>
                {!c.builtIn && (
                  <Paper withBorder p="md">
                    <Stack gap="xs" align="flex-start">
                      <Text fw={600} size="sm">
                        Delete
                      </Text>
                      <ConfirmAction
                        label="Delete client"
                        title={`Delete ${c.name}?`}
                        message="The client and all its tokens stop working at once. This cannot be undone."
                        confirmLabel="Delete client"
                        reason={reason}
                        onConfirm={async () => {
                          await remove.mutateAsync();
                          notifications.show({ color: 'teal', message: `Client ${c.name} deleted` });
                          navigate(links.tenant(tenant.slug, 'clients'));
                        }}
                      />
                    </Stack>
                  </Paper>
                )}
              </Stack>
            </Grid.Col>
          </Grid>
          <SecretModal secret={secret} clientId={c.clientId} onClose={() => setSecret(null)} />
        </>
      )}
    </QueryView>
  );
}
