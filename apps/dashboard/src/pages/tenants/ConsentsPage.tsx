import { Badge, Button, Group, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useSearchParams } from 'react-router';
import { qs, useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { ConsentView, Page } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
import { ConfirmAction, Empty, formatDate, PageHeader, QueryView } from '../../components/common';
import { useTenant } from './TenantLayout';

export function ConsentsPage() {
  const { tenant, permissions } = useTenant();
  const api = useApi();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const userId = params.get('userId') ?? '';
  const clientId = params.get('clientId') ?? '';
  const reason = readOnlyReason(permissions);
  const pages = useCursorPages(['tenants', tenant.slug, 'consents', userId, clientId], (cursor) =>
    api.request<Page<ConsentView>>('GET', `/tenants/${tenant.slug}/consents${qs({ limit: 25, cursor, userId, clientId })}`),
  );
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  };
  const col = createColumnHelper<ConsentView>();
  const columns = [
    col.accessor('clientName', { header: 'Application', cell: (c) => <strong>{c.getValue()}</strong> }),
    col.accessor('clientId', { header: 'Client ID', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('userId', { header: 'User ID', cell: (c) => <code>{c.getValue()}</code> }),
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
    col.display({
      id: 'actions',
      header: '',
      cell: (c) => (
        <ConfirmAction
          label="Withdraw"
          title={`Withdraw consent for ${c.row.original.clientName}?`}
          message="Every token of this user at this application is revoked; the application must ask again."
          confirmLabel="Withdraw"
          reason={reason}
          onConfirm={async () => {
            await api.request('DELETE', `/tenants/${tenant.slug}/consents/${c.row.original.id}`);
            await queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'consents'] });
          }}
        />
      ),
    }),
  ];
  return (
    <>
      <PageHeader title="Consents" description="What users allowed applications to do. First-party applications need no consent." />
      <Group align="flex-end" mb="sm" wrap="wrap">
        <TextInput key={`u-${userId}`} label="Filter by user ID" defaultValue={userId} onBlur={(e) => setFilter('userId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('userId', e.currentTarget.value.trim())} />
        <TextInput key={`c-${clientId}`} label="Filter by client ID" defaultValue={clientId} onBlur={(e) => setFilter('clientId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('clientId', e.currentTarget.value.trim())} />
        {(userId || clientId) && (
          <Button variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear filters
          </Button>
        )}
      </Group>
      <QueryView query={pages.query} loadingLabel="Loading consents…">
        {(page) => (
          <>
            <DataTable data={page.items} columns={columns} label="Consents" rowKey={(c) => c.id} empty={<Empty title="No consents" />} />
            <Pager {...pages} />
          </>
        )}
      </QueryView>
    </>
  );
}
