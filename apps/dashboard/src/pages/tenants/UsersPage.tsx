import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Badge, Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { qs, useApi } from '../../api/client';
import { readOnlyReason } from '../../api/roles';
import type { Page, UserView } from '../../api/types';
import { DataTable, Pager, useCursorPages } from '../../components/DataTable';
import { ConfirmAction, Empty, formatDate, GuardedButton, PageHeader, QueryView } from '../../components/common';
import { applyProblem } from '../../components/problem';
import { useTenant } from './TenantLayout';

const userForm = z.object({
  username: z.string().trim().min(1, 'A username is required').max(200),
  email: z.union([z.literal(''), z.string().trim().email('Not an email address')]),
  name: z.string().trim().max(200),
  password: z.string().min(8, 'At least 8 characters').max(1024),
});
type UserForm = z.infer<typeof userForm>;

function CreateUserModal({ slug, opened, onClose }: { slug: string; opened: boolean; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const form = useForm<UserForm>({ resolver: zodResolver(userForm), mode: 'onChange', defaultValues: { username: '', email: '', name: '', password: '' } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(async (v) => {
    try {
      await api.request('POST', `/tenants/${slug}/users`, { username: v.username, password: v.password, ...(v.email ? { email: v.email } : {}), ...(v.name ? { name: v.name } : {}) });
      await queryClient.invalidateQueries({ queryKey: ['tenants', slug, 'users'] });
      notifications.show({ color: 'teal', message: `User ${v.username} created` });
      form.reset();
      onClose();
    } catch (error) {
      applyProblem(error, form.setError, ['username', 'email', 'name', 'password']);
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Create a user" centered>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput label="Username" withAsterisk autoComplete="off" data-autofocus {...form.register('username')} error={errors.username?.message} />
          <TextInput label="Email" type="email" {...form.register('email')} error={errors.email?.message} />
          <TextInput label="Name" {...form.register('name')} error={errors.name?.message} />
          <PasswordInput label="Initial password" withAsterisk autoComplete="new-password" {...form.register('password')} error={errors.password?.message} />
          {errors.root?.server && <Alert color="red" role="alert">{errors.root.server.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage() {
  const { tenant, permissions } = useTenant();
  const api = useApi();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const reason = readOnlyReason(permissions);
  const pages = useCursorPages(['tenants', tenant.slug, 'users'], (cursor) => api.request<Page<UserView>>('GET', `/tenants/${tenant.slug}/users${qs({ limit: 25, cursor })}`));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tenants', tenant.slug, 'users'] });

  const col = createColumnHelper<UserView>();
  const columns = [
    col.accessor('username', { header: 'Username', cell: (c) => <strong>{c.getValue()}</strong> }),
    col.accessor('email', { header: 'Email', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('name', { header: 'Name', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('disabled', { header: 'Status', cell: (c) => (c.getValue() ? <Badge color="red" variant="light">disabled</Badge> : <Badge color="teal" variant="light">active</Badge>) }),
    col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: (c) => {
        const u = c.row.original;
        return (
          <Group gap={6} wrap="nowrap">
            <Anchor component={Link} size="xs" to={`/tenants/${tenant.slug}/consents?userId=${u.id}`}>
              Consents
            </Anchor>
            <ConfirmAction
              label={u.disabled ? 'Enable' : 'Disable'}
              title={u.disabled ? `Enable ${u.username}?` : `Disable ${u.username}?`}
              message={u.disabled ? 'The user can sign in again.' : 'The user cannot sign in any more and every token of theirs is revoked.'}
              confirmLabel={u.disabled ? 'Enable' : 'Disable'}
              color={u.disabled ? 'teal' : 'orange'}
              reason={reason}
              onConfirm={async () => {
                await api.request('PATCH', `/tenants/${tenant.slug}/users/${u.id}`, { disabled: !u.disabled });
                await refresh();
              }}
            />
            <ConfirmAction
              label="Delete"
              title={`Delete ${u.username}?`}
              message="The user and every token of theirs are gone for good."
              confirmLabel="Delete user"
              reason={reason}
              buttonProps={{ 'aria-label': `Delete user ${u.username}` }}
              onConfirm={async () => {
                await api.request('DELETE', `/tenants/${tenant.slug}/users/${u.id}`);
                await refresh();
              }}
            />
          </Group>
        );
      },
    }),
  ];
  return (
    <>
      <PageHeader
        title="Users"
        description="End users who sign in to this tenant's applications."
        actions={
          <GuardedButton reason={reason} onClick={() => setCreating(true)}>
            Create user
          </GuardedButton>
        }
      />
      <QueryView query={pages.query} loadingLabel="Loading users…">
        {(page) => (
          <>
            <DataTable data={page.items} columns={columns} label="Users" rowKey={(u) => u.id} empty={<Empty title="No users yet" />} />
            <Pager {...pages} />
          </>
        )}
      </QueryView>
      <CreateUserModal slug={tenant.slug} opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
