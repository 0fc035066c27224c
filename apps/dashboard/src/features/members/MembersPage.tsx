import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { TENANT_ROLES, type TenantRole } from '@tessera/contracts';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { errorMessage } from '../../api/client';
import type { MemberView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { PageHeader } from '../../components/PageHeader';
import { applyProblem } from '../../components/problem';
import { PagedTable } from '../../lists/PagedTable';
import { useTenant } from '../tenants/TenantLayout';
import { useAddMember, useChangeMemberRole, useMemberList, useRemoveMember } from './api';

const ROLE_HELP: Record<TenantRole, string> = {
  owner: 'Owner: everything, members included',
  admin: 'Admin: everything but members and deleting the tenant',
  viewer: 'Viewer: read only',
};
const roleOptions = TENANT_ROLES.map((r) => ({ value: r, label: ROLE_HELP[r] }));

const memberForm = z.object({ username: z.string().trim().min(1, 'The admin user’s username'), role: z.enum(TENANT_ROLES) });
type MemberForm = z.infer<typeof memberForm>;

export function MembersPage() {
  const { tenant, permissions } = useTenant();
  const pages = useMemberList(tenant.slug);
  const add = useAddMember(tenant.slug);
  const changeRole = useChangeMemberRole(tenant.slug);
  const remove = useRemoveMember(tenant.slug);
  const form = useForm<MemberForm>({ resolver: zodResolver(memberForm), mode: 'onChange', defaultValues: { username: '', role: 'viewer' } });
  const submit = form.handleSubmit(async (v) => {
    try {
      await add.mutateAsync(v);
      form.reset();
      notifications.show({ color: 'teal', message: `${v.username} is now ${v.role}` });
    } catch (error) {
      applyProblem(error, form.setError, ['username', 'role']);
    }
  });

  if (!permissions.loading && !permissions.canManage) {
    return (
      <>
        <PageHeader title="Members & roles" />
        <Alert color="gray" variant="light" title="Owners only">
          Only owners of this tenant (and platform admins) see and manage its members.
        </Alert>
      </>
    );
  }

  const col = createColumnHelper<MemberView>();
  const columns = [
    col.accessor('username', { header: 'Admin user', cell: (c) => <strong>{c.getValue()}</strong> }),
    col.accessor('email', { header: 'Email', cell: (c) => c.getValue() ?? '—' }),
    col.accessor('role', {
      header: 'Role',
      cell: (c) => (
        <Select
          aria-label={`Role of ${c.row.original.username}`}
          data={TENANT_ROLES.map((r) => ({ value: r, label: r }))}
          value={c.getValue()}
          allowDeselect={false}
          w={130}
          onChange={async (role) => {
            if (!role || role === c.getValue()) return;
            try {
              await changeRole.mutateAsync({ userId: c.row.original.userId, role: role as TenantRole });
              notifications.show({ color: 'teal', message: `${c.row.original.username} is now ${role}` });
            } catch (error) {
              notifications.show({ color: 'red', title: 'Role not changed', message: errorMessage(error) });
            }
          }}
        />
      ),
    }),
    col.accessor('createdAt', { header: 'Since', cell: (c) => formatDate(c.getValue()) }),
    col.display({
      id: 'actions',
      header: '',
      cell: (c) => (
        <ConfirmAction
          label="Remove"
          title={`Remove ${c.row.original.username}?`}
          message="They lose every right in this tenant."
          confirmLabel="Remove member"
          buttonProps={{ 'aria-label': `Remove ${c.row.original.username}` }}
          onConfirm={() => remove.mutateAsync(c.row.original.userId)}
        />
      ),
    }),
  ];

  return (
    <>
      <PageHeader title="Members & roles" description="Admin users (users of tenant admin) and their role in this tenant." />
      <Paper withBorder p="md" mb="lg">
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Add a member">
          <Group align="flex-start" wrap="wrap">
            <TextInput label="Username" placeholder="alice@example.com" style={{ flex: 1, minWidth: 220 }} {...form.register('username')} error={form.formState.errors.username?.message ?? form.formState.errors.root?.server?.message} />
            <Controller control={control(form)} name="role" render={({ field }) => <Select label="Role" data={roleOptions} value={field.value} onChange={(v) => v && field.onChange(v)} allowDeselect={false} w={320} />} />
            <Button type="submit" mt={25} loading={form.formState.isSubmitting}>
              Add member
            </Button>
          </Group>
        </form>
      </Paper>
      <PagedTable pages={pages} loadingLabel="Loading members…" columns={columns} label="Members" rowKey={(m) => m.userId} empty={<Empty title="No members" />} />
    </>
  );
}

function control(form: ReturnType<typeof useForm<MemberForm>>) {
  return form.control;
}
