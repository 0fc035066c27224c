import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Badge, Button, ColorInput, Fieldset, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Controller, useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { readOnlyReason } from '../../api/roles';
import type { TenantView } from '../../api/types';
import { ConfirmAction } from '../../components/ConfirmAction';
import { CopyValue } from '../../components/CopyValue';
import { PageHeader } from '../../components/PageHeader';
import { applyProblem } from '../../components/problem';
import { useDeleteTenant, useUpdateTenant } from '../tenants/api';
import { useTenant } from '../tenants/TenantLayout';
import { protectionFieldOf, protectionForm, protectionPatch, protectionValuesOf } from './protectionSettings';
import { ProtectionSettingsFields } from './ProtectionSettingsFields';
import { links } from '../../links';

const optionalUrl = z
  .string()
  .trim()
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), 'Must be an absolute http(s) URL');

export const tenantSettingsForm = protectionForm.extend({
  displayName: z.string().trim().min(1, 'Give the tenant a name').max(200),
  audience: z
    .string()
    .trim()
    .min(1, 'The default audience of access tokens is required')
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'Must be an absolute http(s) URL'),
  logoUrl: optionalUrl,
  primaryColor: z.string().refine((v) => v === '' || /^#[0-9a-fA-F]{6}$/.test(v), 'A colour like #1a2b3c'),
  passwordGrantEnabled: z.boolean(),
  implicitGrantEnabled: z.boolean(),
});
export type TenantSettingsForm = z.infer<typeof tenantSettingsForm>;

const SERVER_FIELDS: Record<string, keyof TenantSettingsForm> = {
  displayName: 'displayName',
  'settings.audience': 'audience',
  'settings.branding.logoUrl': 'logoUrl',
  'settings.branding.primaryColor': 'primaryColor',
  'settings.passwordGrantEnabled': 'passwordGrantEnabled',
  'settings.implicitGrantEnabled': 'implicitGrantEnabled',
};

function valuesOf(t: TenantView): TenantSettingsForm {
  return {
    displayName: t.displayName,
    audience: t.settings.audience,
    logoUrl: t.settings.branding.logoUrl ?? '',
    primaryColor: t.settings.branding.primaryColor ?? '',
    passwordGrantEnabled: t.settings.passwordGrantEnabled,
    implicitGrantEnabled: t.settings.implicitGrantEnabled,
    ...protectionValuesOf(t.settings),
  };
}

export function TenantSettingsPage() {
  const { tenant, permissions } = useTenant();
  const update = useUpdateTenant(tenant.slug);
  const remove = useDeleteTenant(tenant.slug);
  const navigate = useNavigate();
  const reason = readOnlyReason(permissions);
  const form = useForm<TenantSettingsForm>({ resolver: zodResolver(tenantSettingsForm), mode: 'onChange', values: valuesOf(tenant) });
  const { register, control, handleSubmit, setError, formState } = form;
  const { errors } = formState;

  const submit = handleSubmit(async (v) => {
    try {
      await update.mutateAsync({
        displayName: v.displayName,
        settings: {
          audience: v.audience,
          branding: { logoUrl: v.logoUrl || null, primaryColor: v.primaryColor || null },
          passwordGrantEnabled: v.passwordGrantEnabled,
          implicitGrantEnabled: v.implicitGrantEnabled,
          ...protectionPatch(v, valuesOf(tenant)),
        },
      });
      notifications.show({ color: 'teal', message: 'Tenant settings saved' });
    } catch (error) {
      applyProblem(error, setError, (field) => SERVER_FIELDS[field] ?? protectionFieldOf(field));
    }
  });

  return (
    <>
      <PageHeader title="Settings" description={tenant.displayName} />
      <Stack gap="lg" maw={720}>
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              Issuer
            </Text>
            <CopyValue value={tenant.issuer} label="issuer" />
          </Stack>
        </Paper>
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Tenant settings">
          {reason && (
            <Alert color="gray" variant="light" mb="md" title="Read only">
              {reason}
            </Alert>
          )}
          <Fieldset disabled={reason !== null} variant="unstyled">
            <Stack>
              <TextInput label="Display name" withAsterisk {...register('displayName')} error={errors.displayName?.message} />
              <TextInput
                label="Default audience"
                description="The aud claim of access tokens"
                withAsterisk
                {...register('audience')}
                error={errors.audience?.message}
              />
              <Title order={4} mt="sm">
                Branding
              </Title>
              <TextInput label="Logo URL" description="Shown on the login and consent pages" placeholder="https://…" {...register('logoUrl')} error={errors.logoUrl?.message} />
              <Controller
                control={control}
                name="primaryColor"
                render={({ field }) => (
                  <ColorInput
                    label="Primary colour"
                    placeholder="#4c6ef5"
                    format="hex"
                    value={field.value}
                    onChange={field.onChange}
                    onBlur={field.onBlur}
                    error={errors.primaryColor?.message}
                  />
                )}
              />
              <Title order={4} mt="sm">
                Legacy grants
              </Title>
              <Text size="sm" c="dimmed">
                The OAuth 2.0 Security BCP (RFC 9700) says not to use these. Keep them off unless an old client cannot move to the authorization code flow;
                a client also needs the grant in its own grant types.
              </Text>
              <Controller
                control={control}
                name="passwordGrantEnabled"
                render={({ field }) => (
                  <Switch
                    label={
                      <Group gap={6}>
                        Resource owner password grant <Badge color="orange" size="xs" variant="light">Deprecated</Badge>
                      </Group>
                    }
                    checked={field.value}
                    onChange={(e) => field.onChange(e.currentTarget.checked)}
                  />
                )}
              />
              <Controller
                control={control}
                name="implicitGrantEnabled"
                render={({ field }) => (
                  <Switch
                    label={
                      <Group gap={6}>
                        Implicit grant <Badge color="orange" size="xs" variant="light">Deprecated</Badge>
                      </Group>
                    }
                    checked={field.value}
                    onChange={(e) => field.onChange(e.currentTarget.checked)}
                  />
                )}
              />
              <ProtectionSettingsFields slug={tenant.slug} control={control} errors={errors} />
              {errors.root?.server && (
                <Alert color="red" role="alert" variant="light">
                  {errors.root.server.message}
                </Alert>
              )}
              {reason === null && (
                <Group justify="flex-end">
                  <Button type="submit" loading={formState.isSubmitting} disabled={!formState.isDirty}>
                    Save settings
                  </Button>
                </Group>
              )}
            </Stack>
          </Fieldset>
        </form>
        {tenant.slug !== 'admin' && (
          <Paper withBorder p="md" style={{ borderColor: 'var(--mantine-color-red-outline)' }}>
            <Group justify="space-between">
              <div>
                <Text fw={600}>Delete this tenant</Text>
                <Text size="sm" c="dimmed">
                  Its clients, users, consents, tokens and keys are deleted with it.
                </Text>
              </div>
              <ConfirmAction
                label="Delete tenant"
                title={`Delete tenant ${tenant.slug}?`}
                message="Everything the tenant owns is deleted and every token it issued stops working. This cannot be undone."
                confirmLabel="Delete tenant"
                reason={permissions.loading ? 'Checking your role…' : permissions.canManage ? null : 'Only owners delete a tenant'}
                onConfirm={async () => {
                  await remove.mutateAsync();
                  notifications.show({ color: 'teal', message: `Tenant ${tenant.slug} deleted` });
                  navigate(links.tenants);
                }}
              />
            </Group>
          </Paper>
        )}
      </Stack>
    </>
  );
}
