import { Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RevokeTokensInput } from '@tessera/contracts';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { readOnlyReason } from '../../api/roles';
import type { GrantView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { accessColumns } from '../../lists/accessColumns';
import { FilterBar, FilterField } from '../../lists/FilterBar';
import { PagedTable } from '../../lists/PagedTable';
import { useUrlFilters } from '../../lists/useUrlFilters';
import { useTenant } from '../tenants/TenantLayout';
import { useGrantList, useRevokeTokens } from './api';

type RevokeKind = 'jti' | 'clientId' | 'userId';
const REVOKE_LABELS: Record<RevokeKind, { label: string; input: string; message: string }> = {
  jti: { label: 'One access token', input: 'Token ID (jti)', message: 'This access token stops working at once.' },
  clientId: { label: 'All of a client', input: 'Client ID', message: 'Every access and refresh token of this client stops working.' },
  userId: { label: 'All of a user', input: 'User ID', message: 'Every access and refresh token of this user, at every client, stops working.' },
};

export function TokensPage() {
  const { tenant, permissions } = useTenant();
  const filters = useUrlFilters(['clientId', 'userId']);
  const [kind, setKind] = useState<RevokeKind>('jti');
  const [target, setTarget] = useState('');
  const reason = readOnlyReason(permissions);
  const pages = useGrantList(tenant.slug, filters.values);
  const revokeTokens = useRevokeTokens(tenant.slug);
  const revoke = async (body: RevokeTokensInput, message: string) => {
    await revokeTokens.mutateAsync(body);
    notifications.show({ color: 'teal', message });
  };

  const col = createColumnHelper<GrantView>();
  const columns = [
    col.accessor('clientId', { header: 'Client', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('userId', { header: 'User', cell: (c) => <code>{c.getValue() ?? '—'}</code> }),
    ...accessColumns(col),
    col.accessor('expiresAt', { header: 'Expires', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: (c) => (
        <ConfirmAction
          label="Revoke"
          title="Revoke this grant?"
          message="Its refresh token and the access tokens issued from it stop working at once."
          confirmLabel="Revoke grant"
          reason={reason}
          buttonProps={{ 'aria-label': `Revoke grant ${c.row.original.id}` }}
          onConfirm={() => revoke({ grantId: c.row.original.id }, 'Grant revoked')}
        />
      ),
    }),
  ];

  return (
    <>
      <PageHeader
        title="Grants & tokens"
        description="Live grants are refresh-token families. Access tokens are stateless JWTs: revoke one by its jti, or all of a client or user."
      />
      <Stack gap="lg">
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            Revoke tokens
          </Title>
          <Stack gap="sm">
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as RevokeKind)}
              data={(Object.keys(REVOKE_LABELS) as RevokeKind[]).map((k) => ({ value: k, label: REVOKE_LABELS[k].label }))}
              aria-label="What to revoke"
              disabled={reason !== null}
            />
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label={REVOKE_LABELS[kind].input}
                value={target}
                onChange={(e) => setTarget(e.currentTarget.value)}
                style={{ flex: 1, minWidth: 240 }}
                disabled={reason !== null}
                autoComplete="off"
                spellCheck={false}
              />
              <ConfirmAction
                label="Revoke"
                title="Revoke tokens?"
                message={REVOKE_LABELS[kind].message}
                confirmLabel="Revoke"
                reason={reason ?? (target.trim() ? null : `Enter the ${REVOKE_LABELS[kind].input.toLowerCase()}`)}
                buttonProps={{ variant: 'filled', size: 'sm', 'aria-label': 'Revoke tokens' }}
                onConfirm={async () => {
                  // One of jti, clientId, userId: the kinds the revoke body takes.
                  await revoke({ [kind]: target.trim() } as RevokeTokensInput, 'Tokens revoked');
                  setTarget('');
                }}
              />
            </Group>
          </Stack>
        </Paper>

        <div>
          <FilterBar filters={filters}>
            <FilterField filters={filters} name="clientId" label="Filter by client ID" />
            <FilterField filters={filters} name="userId" label="Filter by user ID" />
          </FilterBar>
          <PagedTable
            pages={pages}
            loadingLabel="Loading grants…"
            columns={columns}
            label="Live grants"
            rowKey={(g) => g.id}
            empty={<Empty title="No live grants" description={<Text size="sm">Grants appear when users sign in to apps with offline access.</Text>} />}
          />
        </div>
      </Stack>
    </>
  );
}
