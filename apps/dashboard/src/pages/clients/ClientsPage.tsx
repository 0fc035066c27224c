import { Anchor, Badge, Drawer, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { qs, useApi, type Api } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { ClientView, ClientWithSecretView, Page, ScopeView } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
import { Empty, formatDate, GuardedButton, PageHeader, QueryView, SecretModal } from '../../components/common';
import { useTenant } from '../tenants/TenantLayout';
import { ClientForm } from './ClientForm';
import { NEW_CLIENT } from './clientSchema';

export function useScopeNames(slug: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['tenants', slug, 'scopes', 'names'],
    queryFn: async () => (await api.request<Page<ScopeView>>('GET', `/tenants/${slug}/scopes?limit=200`)).items.map((s) => s.name),
  });
}

export async function createClient(api: Api, slug: string, body: unknown): Promise<ClientWithSecretView> {
  return api.request<ClientWithSecretView>('POST', `/tenants/${slug}/clients`, body);
}

export function ClientsPage() {
  const { tenant, permissions } = useTenant();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const scopes = useScopeNames(tenant.slug);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ClientWithSecretView | null>(null);
  const reason = readOnlyReason(permissions);
  const pages = useCursorPages(['tenants', tenant.slug, 'clients'], (cursor) =>
    api.request<Page<ClientView>>('GET', `/tenants/${tenant.slug}/clients${qs({ limit: 25, cursor })}`),
  );

  const col = createColumnHelper<ClientView>();
  const columns = [
    col.accessor('name', {
      header: 'Name',
      cell: (c) => (
        <Anchor component={Link} to={`/tenants/${tenant.slug}/clients/${encodeURIComponent(c.row.original.clientId)}`} fw={600}>
          {c.getValue()}
        </Anchor>
      ),
    }),
    col.accessor('clientId', { header: 'Client ID', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('type', { header: 'Type', cell: (c) => <Badge variant="light">{c.getValue()}</Badge> }),
    col.accessor('grantTypes', {
      header: 'Grants',
      enableSorting: false,
      cell: (c) => (
        <Group gap={4}>
          {c.getValue().map((g) => (
            <Badge key={g} size="xs" variant="outline" color={g === 'password' || g === 'implicit' ? 'orange' : 'gray'} tt="none">
              {g}
            </Badge>
          ))}
        </Group>
      ),
    }),
    col.accessor('builtIn', { header: 'Built in', cell: (c) => (c.getValue() ? 'yes' : '') }),
    col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
  ];

  return (
    <>
      <PageHeader
        title="Clients"
        description="Applications that obtain tokens from this tenant."
        actions={
          <GuardedButton reason={reason} onClick={() => setCreating(true)}>
            Register client
          </GuardedButton>
        }
      />
      <QueryView query={pages.query} loadingLabel="Loading clients…">
        {(page) => (
          <>
            <DataTable
              data={page.items}
              columns={columns}
              label="Clients"
              rowKey={(c) => c.clientId}
              empty={<Empty title="No clients yet" description="Register the first application of this tenant." />}
            />
            <Pager {...pages} />
          </>
        )}
      </QueryView>
      <Drawer opened={creating} onClose={() => setCreating(false)} title="Register a client" position="right" size="lg">
        {creating && (
          <ClientForm
            mode="create"
            initialValues={NEW_CLIENT}
            availableScopes={scopes.data ?? []}
            legacy={tenant.settings}
            readOnlyReason={reason}
            onCancel={() => setCreating(false)}
            onSubmit={async (body) => {
              const client = await createClient(api, tenant.slug, body);
              await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'clients'] });
              setCreating(false);
              notifications.show({ color: 'teal', message: `Client ${client.name} registered` });
              if (client.clientSecret) setCreated(client);
              else navigate(`/tenants/${tenant.slug}/clients/${encodeURIComponent(client.clientId)}`);
            }}
          />
        )}
      </Drawer>
      <SecretModal
        secret={created?.clientSecret ?? null}
        clientId={created?.clientId ?? ''}
        onClose={() => {
          const id = created?.clientId;
          setCreated(null);
          if (id) navigate(`/tenants/${tenant.slug}/clients/${encodeURIComponent(id)}`);
        }}
      />
    </>
  );
}
