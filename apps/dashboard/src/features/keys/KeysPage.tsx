import { Badge } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { readOnlyReason } from '../../api/roles';
import type { SigningKeyView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../lists/PagedTable';
import { useTenant } from '../tenants/TenantLayout';
import { useKeyList, useRotateKeys } from './api';

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
  const pages = useKeyList(tenant.slug);
  const rotate = useRotateKeys(tenant.slug);
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
              const rotated = await rotate.mutateAsync();
              pages.reset();
              notifications.show({ color: 'teal', message: `Now signing access tokens with key ${rotated.kid}, and ID tokens with the new keys` });
            }}
          />
        }
      />
      <PagedTable pages={pages} loadingLabel="Loading keys…" columns={columns} label="Signing keys" rowKey={(k) => k.kid} empty={<Empty title="No signing keys" />} />
    </>
  );
}
