import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Badge, Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { z } from 'zod';
import { readOnlyReason } from '../../api/roles';
import type { UserView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { applyProblem } from '../../components/problem';
import { PagedTable } from '../../lists/PagedTable';
import { useTenant } from '../tenants/TenantLayout';
import { useCreateUser, useDeleteUser, useUpdateUser, useUserList } from './api';
import { links } from '../../links';

const userForm = z.object({
  username: z.string().trim().min(1, 'A username is required').max(200),
  email: z.union([z.literal(''), z.string().trim().email('Not an email address')]),
  name: z.string().trim().max(200),
  password: z.string().min(8, 'At least 8 characters').max(1024),
});
type UserForm = z.infer<typeof userForm>;

function CreateUserModal({ slug, opened, onClose }: { slug: string; opened: boolean; onClose: () => void }) {
  const create = useCreateUser(slug);
  const form = useForm<UserForm>({ resolver: zodResolver(userForm), mode: 'onChange', defaultValues: { username: '', email: '', name: '', password: '' } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(async (v) => {
    try {
      await create.mutateAsync({ username: v.username, password: v.password, ...(v.email ? { email: v.email } : {}), ...(v.name ? { name: v.name } : {}) });
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
  const [creating, setCreating] = useState(false);
  const reason = readOnlyReason(permissions);
  const pages = useUserList(tenant.slug);
  const update = useUpdateUser(tenant.slug);
  const remove = useDeleteUser(tenant.slug);

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
            <Anchor component={Link} size="xs" to={links.consentsOfUser(tenant.slug, u.id)}>
              Consents
            </Anchor>
            <ConfirmAction
              label={u.disabled ? 'Enable' : 'Disable'}
              title={u.disabled ? `Enable ${u.username}?` : `Disable ${u.username}?`}
              message={u.disabled ? 'The user can sign in again.' : 'The user cannot sign in any more and every token of theirs is revoked.'}
              confirmLabel={u.disabled ? 'Enable' : 'Disable'}
              color={u.disabled ? 'teal' : 'orange'}
              reason={reason}
              onConfirm={() => update.mutateAsync({ id: u.id, patch: { disabled: !u.disabled } })}
            />
            <ConfirmAction
              label="Delete"
              title={`Delete ${u.username}?`}
              message="The user and every token of theirs are gone for good."
              confirmLabel="Delete user"
              reason={reason}
              buttonProps={{ 'aria-label': `Delete user ${u.username}` }}
              onConfirm={() => remove.mutateAsync(u.id)}
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
      <PagedTable pages={pages} loadingLabel="Loading users…" columns={columns} label="Users" rowKey={(u) => u.id} empty={<Empty title="No users yet" />} />
      <CreateUserModal slug={tenant.slug} opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
