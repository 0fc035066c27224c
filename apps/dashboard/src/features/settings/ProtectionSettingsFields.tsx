import { SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { LOGIN_PROTECTION_BOUNDS, RATE_LIMIT_BOUNDS } from '@tessera/contracts';
import { Controller, useWatch, type Control, type FieldErrors } from 'react-hook-form';
import { NumberField } from '../../components/NumberField';
import { ADMIN_TENANT, LOGIN_PROTECTION_FIELDS, RATE_LIMIT_FIELDS } from './protectionSettings';
import type { TenantSettingsForm } from './TenantSettingsPage';

// Out-of-range input stays as typed, with the message at the field, rather than being changed silently.
const KEEP_AS_TYPED = { clampBehavior: 'none', allowNegative: false } as const;

/** Rate limits and sign-in protection of a tenant, inside the tenant settings form. */
export function ProtectionSettingsFields({
  slug,
  control,
  errors,
}: {
  slug: string;
  control: Control<TenantSettingsForm>;
  errors: FieldErrors<TenantSettingsForm>;
}) {
  const limits = useWatch({ control, name: 'rateLimits' });
  // Only the admin tenant's admin API limit is read: elsewhere the setting would do nothing.
  const shown = RATE_LIMIT_FIELDS.filter((f) => f.name !== 'adminApiPerToken' || slug === ADMIN_TENANT);
  return (
    <>
      <Title order={4} mt="sm">
        Rate limits
      </Title>
      <Text size="sm" c="dimmed">
        Requests past a limit within its window are refused with HTTP 429 until the window ends.
      </Text>
      {shown.map(({ name, what, help }) => {
        const on = limits[name].enabled;
        const rowErrors = errors.rateLimits?.[name];
        return (
          <Stack key={name} gap="xs">
            <Controller
              control={control}
              name={`rateLimits.${name}.enabled`}
              // Off, the numbers are not checked: clear or show their errors as the switch moves.
              rules={{ deps: [`rateLimits.${name}.max`, `rateLimits.${name}.windowSeconds`] }}
              render={({ field }) => (
                <Switch label={`Limit ${what}`} description={help} checked={field.value} onChange={(e) => field.onChange(e.currentTarget.checked)} />
              )}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberField
                control={control}
                name={`rateLimits.${name}.max`}
                label={`Maximum ${what} per window`}
                {...RATE_LIMIT_BOUNDS.max}
                {...KEEP_AS_TYPED}
                disabled={!on}
                error={rowErrors?.max?.message}
              />
              <NumberField
                control={control}
                name={`rateLimits.${name}.windowSeconds`}
                label={`Window for ${what} (seconds)`}
                {...RATE_LIMIT_BOUNDS.windowSeconds}
                {...KEEP_AS_TYPED}
                disabled={!on}
                error={rowErrors?.windowSeconds?.message}
              />
            </SimpleGrid>
          </Stack>
        );
      })}
      <Title order={4} mt="sm">
        Sign-in protection
      </Title>
      <Text size="sm" c="dimmed">
        Applies to the sign-in form and the password grant: failed sign-ins are answered late, then lock the username or the IP address for a while.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {LOGIN_PROTECTION_FIELDS.map(({ name, label, description }) => (
          <NumberField
            key={name}
            control={control}
            name={`loginProtection.${name}`}
            label={label}
            description={description}
            {...LOGIN_PROTECTION_BOUNDS[name]}
            {...KEEP_AS_TYPED}
            error={errors.loginProtection?.[name]?.message}
          />
        ))}
      </SimpleGrid>
    </>
  );
}
