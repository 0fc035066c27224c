import { Badge } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { qs, useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { Page, SigningKeyView } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
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
  // Two active keys (ES256, RS256) and two more per rotation while they are published: page through them all.
  const pages = useCursorPages(key, (cursor) => api.request<Page<SigningKeyView>>('GET', `/tenants/${tenant.slug}/keys${qs({ limit: 50, cursor })}`));
  return (
    <>
      <PageHeader
        title="Signing keys"
        description="Each tenant has an active ES256 key (access tokens, and ID tokens of ES256 clients) and an active RS256 key (ID tokens of RS256 clients). A retired key stays in the JWKS until the tokens it signed have expired."
        actions={
          <ConfirmAction
            label="Rotate keys"
            title="Rotate the signing keys?"
            message="New tokens are signed with new keys (ES256 and RS256) from now on. Tokens already issued stay valid: the old public keys stay published until they expire."
            confirmLabel="Rotate keys"
            color="orange"
            buttonProps={{ variant: 'filled', size: 'sm' }}
            reason={readOnlyReason(permissions)}
            onConfirm={async () => {
              const rotated = await api.request<SigningKeyView>('POST', `/tenants/${tenant.slug}/keys/rotate`);
              pages.reset();
              await queryClient.invalidateQueries({ queryKey: key });
              notifications.show({ color: 'teal', message: `Now signing access tokens with key ${rotated.kid}, and ID tokens with the new keys` });
            }}
          />
        }
      />
      <QueryView query={pages.query} loadingLabel="Loading keys…">
        {(page) => (
          <>
            <DataTable data={page.items} columns={columns} label="Signing keys" rowKey={(k) => k.kid} empty={<Empty title="No signing keys" />} />
            <Pager {...pages} />
          </>
        )}
      </QueryView>
    </>
  );
}
