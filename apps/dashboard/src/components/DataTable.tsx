import { Button, Group, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';
import type { Page } from '../api/types';

/** Cursor pagination over an admin API list (`{items, next}` with `?limit=&cursor=`). */
export function useCursorPages<T>(key: unknown[], fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  // The cursors of the pages before the current one; undefined is the first page.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, cursor ?? null],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
  });
  return {
    query,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext: Boolean(query.data?.next),
    next: () => query.data?.next && setCursors((c) => [...c, query.data!.next ?? undefined]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([undefined]),
  };
}

export function Pager({
  page,
  hasPrevious,
  hasNext,
  previous,
  next,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <Group justify="flex-end" mt="sm" gap="xs">
      <Text size="sm" c="dimmed">
        Page {page}
      </Text>
      <Button size="xs" variant="default" onClick={previous} disabled={!hasPrevious}>
        Previous
      </Button>
      <Button size="xs" variant="default" onClick={next} disabled={!hasNext}>
        Next
      </Button>
    </Group>
  );
}

/** A sortable table (sorting within the loaded page; the API pages by cursor). */
export function DataTable<T>({
  data,
  columns,
  label,
  rowKey,
  empty,
}: {
  data: T[];
  // TanStack's own typing: each column has its own value type, which only `any` unifies.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  label: string;
  rowKey: (row: T) => string;
  empty?: ReactNode;
}) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (row) => rowKey(row),
  });
  if (data.length === 0 && empty) return <>{empty}</>;
  return (
    <ScrollArea type="auto">
      <Table striped highlightOnHover verticalSpacing="xs" aria-label={label} miw={560}>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const content = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
                        {content} {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
