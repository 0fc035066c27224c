import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { QueryView } from '../components/QueryView';
import { DataTable } from './DataTable';
import { Pager } from './Pager';
import type { CursorPages } from './useCursorPages';

/** A list screen's table: loading and error states, the rows of the current page, and the pager. */
export function PagedTable<T>({
  pages,
  loadingLabel,
  ...table
}: {
  pages: CursorPages<T>;
  loadingLabel: string;
  // TanStack's own typing: each column has its own value type, which only `any` unifies.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  label: string;
  rowKey: (row: T) => string;
  empty?: ReactNode;
}) {
  return (
    <QueryView query={pages.query} loadingLabel={loadingLabel}>
      {(page) => (
        <>
          <DataTable data={page.items} {...table} />
          <Pager {...pages} />
        </>
      )}
    </QueryView>
  );
}
