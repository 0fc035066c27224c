import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Badge, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { createColumnHelper } from '@tanstack/react-table';
import { TENANT_SLUG_PATTERN } from '@tessera/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { useMe } from '../../api/roles';
import type { TenantView } from '../../api/types';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { applyProblem } from '../../components/problem';
import { PagedTable } from '../../lists/PagedTable';
import { useCreateTenant, useTenantList } from './api';
import { links } from '../../links';

const col = createColumnHelper<TenantView>();
const columns = [
  col.accessor('slug', {
    header: 'Slug',
    cell: (c) => (
      <Anchor component={Link} to={links.tenant(c.getValue())} fw={600}>
        {c.getValue()}
      </Anchor>
    ),
  }),
  col.accessor('displayName', { header: 'Name' }),
  col.accessor('issuer', { header: 'Issuer', cell: (c) => <code>{c.getValue()}</code>, enableSorting: false }),
  col.accessor((t) => t.settings.passwordGrantEnabled || t.settings.implicitGrantEnabled, {
    id: 'legacy',
    header: 'Legacy grants',
    cell: (c) => (c.getValue() ? <Badge color="orange" variant="light">on</Badge> : <Badge color="gray" variant="light">off</Badge>),
  }),
  col.accessor('createdAt', { header: 'Created', cell: (c) => formatDate(c.getValue()) }),
];

const createTenantForm = z.object({
  slug: z.string().regex(TENANT_SLUG_PATTERN, '1 to 32 lowercase letters, digits or inner hyphens'),
  displayName: z.string().trim().min(1, 'Give the tenant a name').max(200),
});
type CreateTenantForm = z.infer<typeof createTenantForm>;

function CreateTenantModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateTenant();
  const navigate = useNavigate();
  const form = useForm<CreateTenantForm>({ resolver: zodResolver(createTenantForm), mode: 'onChange', defaultValues: { slug: '', displayName: '' } });
  const { register, handleSubmit, formState, setError, reset } = form;
  const submit = handleSubmit(async (values) => {
    try {
      const tenant = await create.mutateAsync(values);
      notifications.show({ color: 'teal', message: `Tenant ${tenant.slug} created` });
      reset();
      onClose();
      navigate(links.tenant(tenant.slug));
    } catch (error) {
      applyProblem(error, setError, ['slug', 'displayName']);
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Create a tenant" centered>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput label="Slug" description="Part of the issuer URL: /t/<slug>" withAsterisk data-autofocus autoComplete="off" {...register('slug')} error={formState.errors.slug?.message} />
          <TextInput label="Display name" withAsterisk {...register('displayName')} error={formState.errors.displayName?.message} />
          {formState.errors.root?.server && (
            <div role="alert" style={{ color: 'var(--mantine-color-red-text)' }}>
              {formState.errors.root.server.message}
            </div>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={formState.isSubmitting}>
              Create tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TenantsPage() {
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const pages = useTenantList();
  const canCreate = me.data?.platformAdmin ?? false;
  const reason = me.isPending ? 'Checking your role…' : canCreate ? null : 'Only platform admins create tenants';
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant is an issuer of its own with its clients, users, scopes and keys."
        actions={
          <GuardedButton reason={reason} onClick={() => setCreating(true)}>
            Create tenant
          </GuardedButton>
        }
      />
      <PagedTable
        pages={pages}
        loadingLabel="Loading tenants…"
        columns={columns}
        label="Tenants"
        rowKey={(t) => t.slug}
        empty={<Empty title="No tenants yet" description={canCreate ? 'Create the first one.' : 'You hold no role in any tenant yet.'} />}
      />
      <CreateTenantModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
