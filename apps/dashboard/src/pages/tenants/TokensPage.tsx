import { Badge, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { qs, useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { GrantView, Page } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
import { ConfirmAction, Empty, formatDate, PageHeader, QueryView } from '../../components/common';
import { useTenant } from './TenantLayout';

type RevokeKind = 'jti' | 'clientId' | 'userId';
const REVOKE_LABELS: Record<RevokeKind, { label: string; input: string; message: string }> = {
  jti: { label: 'One access token', input: 'Token ID (jti)', message: 'This access token stops working at once.' },
  clientId: { label: 'All of a client', input: 'Client ID', message: 'Every access and refresh token of this client stops working.' },
  userId: { label: 'All of a user', input: 'User ID', message: 'Every access and refresh token of this user, at every client, stops working.' },
};

export function TokensPage() {
  const { tenant, permissions } = useTenant();
  const api = useApi();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const clientId = params.get('clientId') ?? '';
  const userId = params.get('userId') ?? '';
  const [kind, setKind] = useState<RevokeKind>('jti');
  const [target, setTarget] = useState('');
  const reason = readOnlyReason(permissions);
  const pages = useCursorPages(['tenants', tenant.slug, 'tokens', clientId, userId], (cursor) =>
    api.request<Page<GrantView>>('GET', `/tenants/${tenant.slug}/tokens${qs({ limit: 25, cursor, clientId, userId })}`),
  );
  const revoke = async (body: Record<string, string>, message: string) => {
    await api.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, body);
    await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'tokens'] });
    notifications.show({ color: 'teal', message });
  };

  const col = createColumnHelper<GrantView>();
  const columns = [
    col.accessor('clientId', { header: 'Client', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('userId', { header: 'User', cell: (c) => <code>{c.getValue() ?? '—'}</code> }),
    col.accessor('scopes', {
      header: 'Scopes',
      enableSorting: false,
      cell: (c) => (
        <Group gap={4}>
          {c.getValue().map((s) => (
            <Badge key={s} size="xs" variant="outline" tt="none">
              {s}
            </Badge>
          ))}
        </Group>
      ),
    }),
    col.accessor('createdAt', { header: 'Granted', cell: (c) => formatDate(c.getValue()) }),
    col.accessor('lastUsedAt', { header: 'Last used', cell: (c) => formatDate(c.getValue()) }),
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

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  };

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
                  await revoke({ [kind]: target.trim() }, 'Tokens revoked');
                  setTarget('');
                }}
              />
            </Group>
          </Stack>
        </Paper>

        <div>
          <Group align="flex-end" mb="sm" wrap="wrap">
            <TextInput key={`c-${clientId}`} label="Filter by client ID" defaultValue={clientId} onBlur={(e) => setFilter('clientId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('clientId', e.currentTarget.value.trim())} />
            <TextInput key={`u-${userId}`} label="Filter by user ID" defaultValue={userId} onBlur={(e) => setFilter('userId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('userId', e.currentTarget.value.trim())} />
            {(clientId || userId) && (
              <Button variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                Clear filters
              </Button>
            )}
          </Group>
          <QueryView query={pages.query} loadingLabel="Loading grants…">
            {(page) => (
              <>
                <DataTable
                  data={page.items}
                  columns={columns}
                  label="Live grants"
                  rowKey={(g) => g.id}
                  empty={<Empty title="No live grants" description={<Text size="sm">Grants appear when users sign in to apps with offline access.</Text>} />}
                />
                <Pager {...pages} />
              </>
            )}
          </QueryView>
        </div>
      </Stack>
    </>
  );
}
