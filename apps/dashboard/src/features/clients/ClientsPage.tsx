import { Anchor, Badge, Drawer } from '@mantine/core';
import { LEGACY_GRANT_TYPES, type GrantType } from '@tessera/contracts';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { readOnlyReason } from '../../api/roles';
import type { ClientView, ClientWithSecretView } from '../../api/types';
import { BadgeList } from '../../components/BadgeList';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../lists/PagedTable';
import { useScopeNames } from '../scopes/api';
import { useTenant } from '../tenants/TenantLayout';
import { useClientList, useCreateClient } from './api';
import { ClientForm } from './ClientForm';
import { NEW_CLIENT } from './clientSchema';
import { SecretModal } from './SecretModal';
import { links } from '../../links';

export function ClientsPage() {
  const { tenant, permissions } = useTenant();
  const navigate = useNavigate();
  const scopes = useScopeNames(tenant.slug);
  const create = useCreateClient(tenant.slug);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ClientWithSecretView | null>(null);
  const reason = readOnlyReason(permissions);
  const pages = useClientList(tenant.slug);

  const col = createColumnHelper<ClientView>();
  const columns = [
    col.accessor('name', {
      header: 'Name',
      cell: (c) => (
        <Anchor component={Link} to={links.client(tenant.slug, c.row.original.clientId)} fw={600}>
          {c.getValue()}
        </Anchor>
      ),
    }),
    col.accessor('clientId', { header: 'Client ID', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('type', { header: 'Type', cell: (c) => <Badge variant="light">{c.getValue()}</Badge> }),
    col.accessor('grantTypes', {
      header: 'Grants',
      enableSorting: false,
      cell: (c) => <BadgeList values={c.getValue()} colorOf={(g) => (LEGACY_GRANT_TYPES.includes(g as GrantType) ? 'orange' : 'gray')} />,
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
      <PagedTable
        pages={pages}
        loadingLabel="Loading clients…"
        columns={columns}
        label="Clients"
        rowKey={(c) => c.clientId}
        empty={<Empty title="No clients yet" description="Register the first application of this tenant." />}
      />
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
              const client = await create.mutateAsync(body);
              setCreating(false);
              notifications.show({ color: 'teal', message: `Client ${client.name} registered` });
              if (client.clientSecret) setCreated(client);
              else navigate(links.client(tenant.slug, client.clientId));
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
          if (id) navigate(links.client(tenant.slug, id));
        }}
      />
    </>
  );
}
