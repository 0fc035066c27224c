import { Autocomplete, Button, Code, Group, Popover, TextInput } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useSearchParams } from 'react-router';
import { qs, useApi } from '../../api/client';
import type { AuditEventView, Page } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
import { Empty, formatDate, PageHeader, QueryView } from '../../components/common';
import { useTenant } from './TenantLayout';

export const AUDIT_ACTIONS = [
  'user.signed_in',
  'user.sign_in_failed',
  'user.signed_out',
  'token.issued',
  'token.revoked',
  'consent.given',
  'consent.denied',
  'consent.withdrawn',
  'client.created',
  'client.updated',
  'client.deleted',
  'client.secret_rotated',
  'key.rotated',
  'scope.created',
  'scope.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
  'tenant.created',
  'tenant.updated',
  'member.added',
  'member.role_changed',
  'member.removed',
];

const col = createColumnHelper<AuditEventView>();
const columns = [
  col.accessor('createdAt', { header: 'When', cell: (c) => formatDate(c.getValue()) }),
  col.accessor('action', { header: 'Action', cell: (c) => <code>{c.getValue()}</code> }),
  col.accessor((e) => e.actor.label ?? e.actor.id ?? e.actor.type, { id: 'actor', header: 'Who', cell: (c) => `${c.row.original.actor.type}: ${c.getValue()}` }),
  col.accessor((e) => e.target.id ?? '', { id: 'target', header: 'Target', cell: (c) => `${c.row.original.target.type}${c.getValue() ? `: ${c.getValue()}` : ''}` }),
  col.accessor('ip', { header: 'From', cell: (c) => c.getValue() ?? '—' }),
  col.display({
    id: 'details',
    header: 'Details',
    cell: (c) =>
      Object.keys(c.row.original.details).length === 0 ? null : (
        <Popover width={360} position="bottom-end" withArrow shadow="md">
          <Popover.Target>
            <Button size="compact-xs" variant="subtle">
              Details
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Code block>{JSON.stringify(c.row.original.details, null, 2)}</Code>
          </Popover.Dropdown>
        </Popover>
      ),
  }),
];

export function AuditPage() {
  const { tenant } = useTenant();
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filter = { action: params.get('action') ?? '', actorId: params.get('actorId') ?? '', targetId: params.get('targetId') ?? '' };
  const pages = useCursorPages(['tenants', tenant.slug, 'audit', filter], (cursor) =>
    api.request<Page<AuditEventView>>('GET', `/tenants/${tenant.slug}/audit-events${qs({ limit: 50, cursor, ...filter })}`),
  );
  const setFilter = (name: keyof typeof filter, value: string) => {
    if (value === filter[name]) return;
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  };
  return (
    <>
      <PageHeader title="Audit log" description="Who did what, when, from where. Newest first." />
      <Group align="flex-end" mb="sm" wrap="wrap">
        <Autocomplete
          key={`a-${filter.action}`}
          label="Action"
          data={AUDIT_ACTIONS}
          defaultValue={filter.action}
          onOptionSubmit={(v) => setFilter('action', v)}
          onBlur={(e) => setFilter('action', e.currentTarget.value.trim())}
          clearable
        />
        <TextInput key={`w-${filter.actorId}`} label="Actor ID" defaultValue={filter.actorId} onBlur={(e) => setFilter('actorId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('actorId', e.currentTarget.value.trim())} />
        <TextInput key={`t-${filter.targetId}`} label="Target ID" defaultValue={filter.targetId} onBlur={(e) => setFilter('targetId', e.currentTarget.value.trim())} onKeyDown={(e) => e.key === 'Enter' && setFilter('targetId', e.currentTarget.value.trim())} />
        {(filter.action || filter.actorId || filter.targetId) && (
          <Button variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear filters
          </Button>
        )}
      </Group>
      <QueryView query={pages.query} loadingLabel="Loading events…">
        {(page) => (
          <>
            <DataTable data={page.items} columns={columns} label="Audit events" rowKey={(e) => e.id} empty={<Empty title="No events match" />} />
            <Pager {...pages} />
          </>
        )}
      </QueryView>
    </>
  );
}
