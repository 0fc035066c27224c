import { zodResolver } from '@hookform/resolvers/zod';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Input,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import {
  CLIENT_LIFETIME_BOUNDS as LIFETIMES,
  GRANT_TYPES,
  ID_TOKEN_SIGNING_ALGS,
  LEGACY_GRANT_TYPES,
  LOOPBACK_REDIRECT_HOSTS,
  type GrantType,
  type IdTokenSigningAlg,
} from '@tessera/contracts';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { NumberField } from '../../components/NumberField';
import { applyProblem } from '../../components/problem';
import {
  clientFormSchema,
  formFieldOf,
  GRANT_LABELS,
  ID_TOKEN_ALG_LABELS,
  requestBodyOf,
  type ClientFormMode,
  type ClientFormValues,
  type ClientRequestBody,
} from './clientSchema';

export interface ClientFormProps<M extends ClientFormMode = ClientFormMode> {
  mode: M;
  initialValues: ClientFormValues;
  /** Scope names the tenant knows (built-in and its own). */
  availableScopes: string[];
  legacy: { passwordGrantEnabled: boolean; implicitGrantEnabled: boolean };
  /** Why the form is read-only (viewer), or null. */
  readOnlyReason: string | null;
  onSubmit(body: ClientRequestBody<M>): Promise<unknown>;
  onCancel?: () => void;
}

function UriList({
  name,
  label,
  description,
  control,
  register,
  errors,
  readOnly,
}: {
  name: 'redirectUris' | 'postLogoutRedirectUris';
  label: string;
  description: string;
  control: ReturnType<typeof useForm<ClientFormValues>>['control'];
  register: ReturnType<typeof useForm<ClientFormValues>>['register'];
  errors: ReturnType<typeof useForm<ClientFormValues>>['formState']['errors'];
  readOnly: boolean;
}) {
  const { fields, append, remove } = useFieldArray({ control, name });
  const listError = errors[name]?.root?.message ?? errors[name]?.message;
  const singular = label.replace(/s$/, '');
  const inSentence = singular.replace(/^./, (c) => c.toLowerCase());
  return (
    <Input.Wrapper label={label} description={description} error={listError}>
      <Stack gap="xs" mt="xs">
        {fields.length === 0 && (
          <Text size="sm" c="dimmed">
            None
          </Text>
        )}
        {fields.map((field, index) => (
          <Group key={field.id} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              aria-label={`${singular} ${index + 1}`}
              placeholder="https://app.example.com/callback"
              autoComplete="off"
              spellCheck={false}
              {...register(`${name}.${index}.value`)}
              error={errors[name]?.[index]?.value?.message}
            />
            {!readOnly && (
              <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => remove(index)} aria-label={`Remove ${inSentence} ${index + 1}`}>
                ✕
              </ActionIcon>
            )}
          </Group>
        ))}
        {!readOnly && (
          <Group>
            <Button variant="light" size="xs" onClick={() => append({ value: '' }, { shouldFocus: true })}>
              Add {inSentence}
            </Button>
          </Group>
        )}
      </Stack>
    </Input.Wrapper>
  );
}

/** Create or edit a client: every rule is checked as the admin types; the server's field errors land at their fields. */
export function ClientForm<M extends ClientFormMode>({ mode, initialValues, availableScopes, legacy, readOnlyReason, onSubmit, onCancel }: ClientFormProps<M>) {
  const form = useForm<ClientFormValues>({
    resolver: zodResolver(clientFormSchema),
    defaultValues: initialValues,
    mode: 'onChange',
  });
  const {
    control,
    register,
    handleSubmit,
    setError,
    watch,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = form;
  const readOnly = readOnlyReason !== null;
  const type = watch('type');

  const submit = handleSubmit(async (values) => {
    try {
      await onSubmit(requestBodyOf(values, mode));
      if (mode === 'edit') reset(values);
    } catch (error) {
      applyProblem(error, setError, formFieldOf, { focus: true, detailWhenPlaced: true });
    }
  });

  const legacyEnabled = (g: GrantType) =>
    g === 'password' ? legacy.passwordGrantEnabled : g === 'implicit' ? legacy.implicitGrantEnabled : true;
  const scopeOptions = [...new Set([...availableScopes, ...initialValues.scopes])];

  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={mode === 'create' ? 'Register a client' : 'Client settings'}>
      {readOnly && (
        <Alert color="gray" variant="light" mb="md" title="Read only">
          {readOnlyReason}
        </Alert>
      )}
      <Fieldset disabled={readOnly} variant="unstyled">
        <Stack gap="md">
          <TextInput label="Name" withAsterisk description="Shown to users on the consent page" {...register('name')} error={errors.name?.message} />

          {mode === 'create' ? (
            <Controller
              control={control}
              name="type"
              render={({ field }) => (
                <Input.Wrapper
                  label="Client type"
                  description="Confidential clients (servers) hold a secret; public clients (SPAs, mobile apps) cannot keep one and use PKCE."
                >
                  <SegmentedControl
                    mt="xs"
                    value={field.value}
                    onChange={(v) => field.onChange(v)}
                    data={[
                      { value: 'confidential', label: 'Confidential' },
                      { value: 'public', label: 'Public' },
                    ]}
                    aria-label="Client type"
                  />
                </Input.Wrapper>
              )}
            />
          ) : (
            <Text size="sm">
              Type: <Badge variant="light">{type}</Badge>
            </Text>
          )}

          <UriList
            name="redirectUris"
            label="Redirect URIs"
            description={`Absolute, no fragment; https, or http on ${LOOPBACK_REDIRECT_HOSTS.join('/')}. Matched exactly.`}
            control={control}
            register={register}
            errors={errors}
            readOnly={readOnly}
          />
          <UriList
            name="postLogoutRedirectUris"
            label="Post-logout redirect URIs"
            description="Where the app may send users after sign-out."
            control={control}
            register={register}
            errors={errors}
            readOnly={readOnly}
          />

          <Controller
            control={control}
            name="grantTypes"
            render={({ field }) => (
              <Checkbox.Group label="Grant types" withAsterisk value={field.value} onChange={(v) => field.onChange(v as GrantType[])} error={errors.grantTypes?.message}>
                <Stack gap="xs" mt="xs">
                  {GRANT_TYPES.map((g) => {
                    const deprecated = LEGACY_GRANT_TYPES.includes(g);
                    const off = !legacyEnabled(g);
                    return (
                      <Checkbox
                        key={g}
                        value={g}
                        label={
                          <Group gap={6}>
                            <span>{GRANT_LABELS[g].label}</span>
                            <Text span size="xs" c="dimmed" ff="monospace">
                              {g}
                            </Text>
                            {deprecated && (
                              <Badge color="orange" variant="light" size="xs">
                                Deprecated
                              </Badge>
                            )}
                          </Group>
                        }
                        description={
                          off && deprecated
                            ? `${GRANT_LABELS[g].help} Off for this tenant: enable it in the tenant settings first.`
                            : GRANT_LABELS[g].help
                        }
                      />
                    );
                  })}
                </Stack>
              </Checkbox.Group>
            )}
          />

          <Controller
            control={control}
            name="scopes"
            render={({ field }) => (
              <MultiSelect
                label="Allowed scopes"
                description="The scopes this client may request"
                data={scopeOptions}
                value={field.value}
                onChange={field.onChange}
                searchable
                clearable
                hidePickedOptions
                error={errors.scopes?.message ?? (Array.isArray(errors.scopes) ? errors.scopes.find(Boolean)?.message : undefined)}
                comboboxProps={{ withinPortal: true }}
              />
            )}
          />

          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {(
              [
                ['accessTokenTtl', 'Access token lifetime (s)', `${LIFETIMES.accessTokenTtl.min} s to ${LIFETIMES.accessTokenTtl.maxInWords}`],
                ['refreshTokenTtl', 'Refresh token lifetime (s)', `Absolute, up to ${LIFETIMES.refreshTokenTtl.maxInWords}`],
                ['refreshTokenIdleTtl', 'Refresh token idle timeout (s)', 'Lapses when unused this long'],
              ] as const
            ).map(([name, label, description]) => (
              <NumberField
                key={name}
                control={control}
                name={name}
                label={label}
                description={description}
                min={LIFETIMES[name].min}
                max={LIFETIMES[name].max}
                error={errors[name]?.message}
              />
            ))}
          </SimpleGrid>

          <Controller
            control={control}
            name="idTokenSignedResponseAlg"
            render={({ field }) => (
              <Select
                label="ID token signing algorithm"
                description="id_token_signed_response_alg: the tenant key that signs this client's ID tokens. Access tokens are always ES256."
                data={ID_TOKEN_SIGNING_ALGS.map((alg) => ({ value: alg, label: ID_TOKEN_ALG_LABELS[alg] }))}
                value={field.value}
                onChange={(v) => v && field.onChange(v as IdTokenSigningAlg)}
                allowDeselect={false}
                error={errors.idTokenSignedResponseAlg?.message}
                comboboxProps={{ withinPortal: true }}
                w={{ base: '100%', sm: 360 }}
              />
            )}
          />

          <Controller
            control={control}
            name="firstParty"
            render={({ field }) => (
              <Switch
                label="First-party application"
                description="Trusted apps of the tenant's own organisation skip the consent page."
                checked={field.value}
                onChange={(e) => field.onChange(e.currentTarget.checked)}
              />
            )}
          />

          {errors.root?.server?.message && (
            <Alert color="red" variant="light" title="The server refused the change" role="alert">
              {errors.root.server.message}
            </Alert>
          )}

          {!readOnly && (
            <Group justify="flex-end">
              {onCancel && (
                <Button variant="default" onClick={onCancel}>
                  Cancel
                </Button>
              )}
              <Button type="submit" loading={isSubmitting} disabled={mode === 'edit' && !isDirty}>
                {mode === 'create' ? 'Register client' : 'Save changes'}
              </Button>
            </Group>
          )}
        </Stack>
      </Fieldset>
    </form>
  );
}
