import { Anchor, Badge, Grid, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { ClientView, ClientWithSecretView } from '../../api/types';
import { ConfirmAction, CopyValue, formatDate, PageHeader, QueryView, SecretModal } from '../../components/common';
import { useTenant } from '../tenants/TenantLayout';
import { ClientForm } from './ClientForm';
import { useScopeNames } from './ClientsPage';
import { formValuesOf } from './clientSchema';

export function ClientDetailPage() {
  const { tenant, permissions } = useTenant();
  const { clientId = '' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const scopes = useScopeNames(tenant.slug);
  const [secret, setSecret] = useState<string | null>(null);
  const path = `/tenants/${tenant.slug}/clients/${encodeURIComponent(clientId)}`;
  const key = ['tenants', tenant.slug, 'clients', 'one', clientId];
  const client = useQuery({ queryKey: key, queryFn: () => api.request<ClientView>('GET', path) });
  const reason = readOnlyReason(permissions);

  return (
    <QueryView query={client} loadingLabel="Loading the client…">
      {(c) => (
        <>
          <Anchor component={Link} to={`/tenants/${tenant.slug}/clients`} size="sm">
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
                    const updated = await api.request<ClientView>('PATCH', path, body);
                    queryClient.setQueryData(key, updated);
                    await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'clients'], exact: false, refetchType: 'none' });
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
                        onConfirm={async () => {
                          const rotated = await api.request<ClientWithSecretView>('POST', `${path}/secret`);
                          const { clientSecret, ...view } = rotated;
                          queryClient.setQueryData(key, view);
                          setSecret(clientSecret ?? null);
                        }}
                      />
                    </Stack>
                  </Paper>
                )}
                <Paper withBorder p="md">
                  <Stack gap="xs" align="flex-start">
                    <Text fw={600} size="sm">
                      Tokens
                    </Text>
                    <Anchor component={Link} to={`/tenants/${tenant.slug}/tokens?clientId=${encodeURIComponent(c.clientId)}`} size="sm">
                      Live grants of this client
                    </Anchor>
                    <ConfirmAction
                      label="Revoke all tokens"
                      title="Revoke every token of this client?"
                      message="All access and refresh tokens the client holds stop working; users must sign in again."
                      confirmLabel="Revoke all"
                      reason={reason}
                      onConfirm={async () => {
                        await api.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, { clientId: c.clientId });
                        await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'tokens'] });
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
                          await api.request('DELETE', path);
                          await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'clients'] });
                          notifications.show({ color: 'teal', message: `Client ${c.name} deleted` });
                          navigate(`/tenants/${tenant.slug}/clients`);
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
