import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Group, Paper, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { SCOPE_TOKEN_PATTERN } from '@tessera/contracts';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { readOnlyReason } from '../../api/roles';
import type { ScopeView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { applyProblem } from '../../components/problem';
import { PagedTable } from '../../lists/PagedTable';
import { useTenant } from '../tenants/TenantLayout';
import { useCreateScope, useDeleteScope, useScopeList } from './api';

const scopeForm = z.object({
  name: z.string().min(1, 'Name the scope').max(128).regex(SCOPE_TOKEN_PATTERN, 'No spaces, quotes or backslashes (RFC 6749 section 3.3)'),
  description: z.string().trim().max(500, 'At most 500 characters'),
});
type ScopeForm = z.infer<typeof scopeForm>;

export function ScopesPage() {
  const { tenant, permissions } = useTenant();
  const reason = readOnlyReason(permissions);
  const pages = useScopeList(tenant.slug);
  const create = useCreateScope(tenant.slug);
  const remove = useDeleteScope(tenant.slug);
  const form = useForm<ScopeForm>({ resolver: zodResolver(scopeForm), mode: 'onChange', defaultValues: { name: '', description: '' } });
  const submit = form.handleSubmit(async (v) => {
    try {
      await create.mutateAsync(v);
      form.reset();
      notifications.show({ color: 'teal', message: `Scope ${v.name} defined` });
    } catch (error) {
      applyProblem(error, form.setError, ['name', 'description']);
    }
  });

  const col = createColumnHelper<ScopeView>();
  const columns = [
    col.accessor('name', { header: 'Name', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('description', { header: 'Shown to users as' }),
    col.accessor('builtIn', { header: 'Kind', cell: (c) => (c.getValue() ? <Badge variant="light" color="gray">built in</Badge> : <Badge variant="light">custom</Badge>) }),
    col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: (c) =>
        c.row.original.builtIn ? null : (
          <ConfirmAction
            label="Delete"
            title={`Delete scope ${c.row.original.name}?`}
            message="Clients can no longer request it."
            confirmLabel="Delete scope"
            reason={reason}
            buttonProps={{ 'aria-label': `Delete scope ${c.row.original.name}` }}
            onConfirm={() => remove.mutateAsync(c.row.original.name)}
          />
        ),
    }),
  ];

  return (
    <>
      <PageHeader title="Scopes" description="What clients may ask for. The description is what users read on the consent page." />
      <Paper withBorder p="md" mb="lg">
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Define a scope">
          <Group align="flex-start" wrap="wrap">
            <TextInput label="Name" placeholder="orders:read" {...form.register('name')} error={form.formState.errors.name?.message} disabled={reason !== null} />
            <TextInput
              label="Description"
              placeholder="Read your orders"
              style={{ flex: 1, minWidth: 220 }}
              {...form.register('description')}
              error={form.formState.errors.description?.message ?? form.formState.errors.root?.server?.message}
              disabled={reason !== null}
            />
            <Button type="submit" mt={25} loading={form.formState.isSubmitting} disabled={reason !== null}>
              Add scope
            </Button>
          </Group>
        </form>
      </Paper>
      <PagedTable pages={pages} loadingLabel="Loading scopes…" columns={columns} label="Scopes" rowKey={(s) => s.name} />
    </>
  );
}
