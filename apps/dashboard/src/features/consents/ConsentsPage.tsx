import { createColumnHelper } from '@tanstack/react-table';
import { readOnlyReason } from '../../api/roles';
import type { ConsentView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { PageHeader } from '../../components/PageHeader';
import { accessColumns } from '../../lists/accessColumns';
import { FilterBar, FilterField } from '../../lists/FilterBar';
import { PagedTable } from '../../lists/PagedTable';
import { useUrlFilters } from '../../lists/useUrlFilters';
import { useTenant } from '../tenants/TenantLayout';
import { useConsentList, useWithdrawConsent } from './api';

export function ConsentsPage() {
  const { tenant, permissions } = useTenant();
  const filters = useUrlFilters(['userId', 'clientId']);
  const reason = readOnlyReason(permissions);
  const pages = useConsentList(tenant.slug, filters.values);
  const withdraw = useWithdrawConsent(tenant.slug);
  const col = createColumnHelper<ConsentView>();
  const columns = [
    col.accessor('clientName', { header: 'Application', cell: (c) => <strong>{c.getValue()}</strong> }),
    col.accessor('clientId', { header: 'Client ID', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('userId', { header: 'User ID', cell: (c) => <code>{c.getValue()}</code> }),
    ...accessColumns(col),
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
          onConfirm={() => withdraw.mutateAsync(c.row.original.id)}
        />
      ),
    }),
  ];
  return (
    <>
      <PageHeader title="Consents" description="What users allowed applications to do. First-party applications need no consent." />
      <FilterBar filters={filters}>
        <FilterField filters={filters} name="userId" label="Filter by user ID" />
        <FilterField filters={filters} name="clientId" label="Filter by client ID" />
      </FilterBar>
      <PagedTable pages={pages} loadingLabel="Loading consents…" columns={columns} label="Consents" rowKey={(c) => c.id} empty={<Empty title="No consents" />} />
    </>
  );
}
