import { Badge } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { Page, SigningKeyView } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ConfirmAction, Empty, formatDate, PageHeader, QueryView } from '../../components/common';
import { useTenant } from './TenantLayout';

const col = createColumnHelper<SigningKeyView>();
const columns = [
  col.accessor('kid', { header: 'Key ID (kid)', cell: (c) => <code>{c.getValue()}</code> }),
  col.accessor('alg', { header: 'Algorithm' }),
  col.accessor('status', {
    header: 'Status',
    cell: (c) => <Badge color={c.getValue() === 'active' ? 'teal' : 'gray'} variant="light">{c.getValue()}</Badge>,
  }),
  col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
  col.accessor('retiredAt', { header: 'Retired', cell: (c) => formatDate(c.getValue()) }),
  col.accessor('publishedUntil', { header: 'In JWKS until', cell: (c) => formatDate(c.getValue()) }),
];

export function KeysPage() {
  const { tenant, permissions } = useTenant();
  const api = useApi();
  const queryClient = useQueryClient();
  const key = ['tenants', tenant.slug, 'keys'];
  const keys = useQuery({ queryKey: key, queryFn: () => api.request<Page<SigningKeyView>>('GET', `/tenants/${tenant.slug}/keys`) });
  return (
    <>
      <PageHeader
        title="Signing keys"
        description="Tokens are signed with the active key; a retired key stays in the JWKS until the tokens it signed have expired."
        actions={
          <ConfirmAction
            label="Rotate key"
            title="Rotate the signing key?"
            message="New tokens are signed with a new key from now on. Tokens already issued stay valid: the old public key stays published until they expire."
            confirmLabel="Rotate key"
            color="orange"
            buttonProps={{ variant: 'filled', size: 'sm' }}
            reason={readOnlyReason(permissions)}
            onConfirm={async () => {
              const rotated = await api.request<SigningKeyView>('POST', `/tenants/${tenant.slug}/keys/rotate`);
              await queryClient.invalidateQueries({ queryKey: key });
              notifications.show({ color: 'teal', message: `Now signing with key ${rotated.kid}` });
            }}
          />
        }
      />
      <QueryView query={keys} loadingLabel="Loading keys…">
        {(page) => <DataTable data={page.items} columns={columns} label="Signing keys" rowKey={(k) => k.kid} empty={<Empty title="No signing keys" />} />}
      </QueryView>
    </>
  );
}
