import type { ColumnHelper } from '@tanstack/react-table';
import { BadgeList } from '../components/BadgeList';
import { formatDate } from '../components/formatDate';

/** What a user allowed an application: its scopes, when, and when it was last used (consents, live grants). */
export function accessColumns<T extends { scopes: string[]; createdAt: string; lastUsedAt: string | null }>(col: ColumnHelper<T>) {
  return [
    col.accessor((row) => row.scopes, { id: 'scopes', header: 'Scopes', enableSorting: false, cell: (c) => <BadgeList values={c.getValue()} /> }),
    col.accessor((row) => row.createdAt, { id: 'createdAt', header: 'Granted', cell: (c) => formatDate(c.getValue()) }),
    col.accessor((row) => row.lastUsedAt, { id: 'lastUsedAt', header: 'Last used', cell: (c) => formatDate(c.getValue()) }),
  ];
}
