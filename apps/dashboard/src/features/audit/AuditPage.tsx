import { Autocomplete, Button, Code, Popover } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { AuditEventView } from '../../api/types';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { FilterBar, FilterField } from '../../lists/FilterBar';
import { PagedTable } from '../../lists/PagedTable';
import { useUrlFilters } from '../../lists/useUrlFilters';
import { useTenant } from '../tenants/TenantLayout';
import { useAuditEvents } from './api';

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
  const filters = useUrlFilters(['action', 'actorId', 'targetId']);
  const pages = useAuditEvents(tenant.slug, filters.values);
  return (
    <>
      <PageHeader title="Audit log" description="Who did what, when, from where. Newest first." />
      <FilterBar filters={filters}>
        <Autocomplete
          key={filters.values.action}
          label="Action"
          data={AUDIT_ACTIONS}
          defaultValue={filters.values.action}
          onOptionSubmit={(v) => filters.set('action', v)}
          onBlur={(e) => filters.set('action', e.currentTarget.value.trim())}
          clearable
        />
        <FilterField filters={filters} name="actorId" label="Actor ID" />
        <FilterField filters={filters} name="targetId" label="Target ID" />
      </FilterBar>
      <PagedTable pages={pages} loadingLabel="Loading events…" columns={columns} label="Audit events" rowKey={(e) => e.id} empty={<Empty title="No events match" />} />
    </>
  );
}
