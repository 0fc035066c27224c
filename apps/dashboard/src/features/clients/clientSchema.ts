import {
  addClientMetadataIssues,
  CLIENT_LIFETIME_BOUNDS,
  clientFieldSchemas,
  clientShapeIssues,
  redirectUriSchema,
  uriListSchema,
  type ClientMetadataIssue,
  type ClientView,
  type CreateClientBody,
  type GrantType,
  type IdTokenSigningAlg,
  type UpdateClientBody,
} from '@tessera/contracts';
import { z } from 'zod';

// Every rule here is the API's own (@tessera/contracts), with the API's messages: the form only
// adds its shapes (a URI per row, trimmed as the admin types).

export const ID_TOKEN_ALG_LABELS: Record<IdTokenSigningAlg, string> = {
  RS256: 'RS256 (RSA, the OpenID Connect default)',
  ES256: 'ES256 (ECDSA P-256)',
};

export const GRANT_LABELS: Record<GrantType, { label: string; help: string }> = {
  authorization_code: { label: 'Authorization code', help: 'Users sign in at Tessera; PKCE is required.' },
  refresh_token: { label: 'Refresh token', help: 'Renew access without a new sign-in (with offline_access).' },
  client_credentials: { label: 'Client credentials', help: 'Machine-to-machine; confidential clients only.' },
  password: { label: 'Resource owner password', help: 'Deprecated (OAuth 2.0 Security BCP): the app sees the password.' },
  implicit: { label: 'Implicit', help: 'Deprecated (OAuth 2.0 Security BCP): tokens in the URL fragment.' },
};

/** A URI row of the form: the API's rule on the trimmed value (the body carries it trimmed). */
const uriRow = z.object({ value: z.string().trim().pipe(redirectUriSchema) });

/** Where a rule issue of the API's shape (`redirectUris.2`) shows in the form (`redirectUris.2.value`). */
function formPathOf(path: ClientMetadataIssue['path']): PropertyKey[] {
  return path.length === 2 && (path[0] === 'redirectUris' || path[0] === 'postLogoutRedirectUris') ? [...path, 'value'] : path;
}

export const clientFormSchema = z
  .object({
    ...clientFieldSchemas,
    redirectUris: uriListSchema('redirectUris', uriRow),
    postLogoutRedirectUris: uriListSchema('postLogoutRedirectUris', uriRow),
  })
  .superRefine((v, ctx) =>
    addClientMetadataIssues(
      ctx,
      clientShapeIssues({ ...v, redirectUris: v.redirectUris.map((r) => r.value), postLogoutRedirectUris: v.postLogoutRedirectUris.map((r) => r.value) }),
      formPathOf,
    ),
  );

export type ClientFormValues = z.infer<typeof clientFormSchema>;

export const NEW_CLIENT: ClientFormValues = {
  name: '',
  type: 'confidential',
  redirectUris: [{ value: '' }],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  firstParty: false,
  accessTokenTtl: CLIENT_LIFETIME_BOUNDS.accessTokenTtl.default,
  refreshTokenTtl: CLIENT_LIFETIME_BOUNDS.refreshTokenTtl.default,
  refreshTokenIdleTtl: CLIENT_LIFETIME_BOUNDS.refreshTokenIdleTtl.default,
  idTokenSignedResponseAlg: 'RS256',
};

export function formValuesOf(client: ClientView): ClientFormValues {
  return {
    name: client.name,
    type: client.type,
    redirectUris: client.redirectUris.map((value) => ({ value })),
    postLogoutRedirectUris: client.postLogoutRedirectUris.map((value) => ({ value })),
    grantTypes: client.grantTypes as GrantType[],
    scopes: client.scopes,
    firstParty: client.firstParty,
    accessTokenTtl: client.accessTokenTtl,
    refreshTokenTtl: client.refreshTokenTtl,
    refreshTokenIdleTtl: client.refreshTokenIdleTtl,
    idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
  };
}

export type ClientFormMode = 'create' | 'edit';
/** What the form sends: the whole registration when it creates, the settings (no type) when it edits. */
export type ClientRequestBody<M extends ClientFormMode = ClientFormMode> = M extends 'create' ? CreateClientBody : UpdateClientBody;

/** The API body from the form values. */
export function requestBodyOf<M extends ClientFormMode>(values: ClientFormValues, mode: M): ClientRequestBody<M> {
  const body = {
    name: values.name.trim(),
    redirectUris: values.redirectUris.map((r) => r.value.trim()),
    postLogoutRedirectUris: values.postLogoutRedirectUris.map((r) => r.value.trim()),
    grantTypes: values.grantTypes,
    scopes: values.scopes,
    firstParty: values.firstParty,
    accessTokenTtl: values.accessTokenTtl,
    refreshTokenTtl: values.refreshTokenTtl,
    refreshTokenIdleTtl: values.refreshTokenIdleTtl,
    idTokenSignedResponseAlg: values.idTokenSignedResponseAlg,
  };
  // A conditional return type: TypeScript cannot follow `mode` into it.
  return (mode === 'create' ? { ...body, type: values.type } : body) as ClientRequestBody<M>;
}

/**
 * Where a field error of a 400 problem belongs in the form: `redirectUris.2` is the third URI row,
 * `redirectUris` the list itself. Unknown fields go to the form-level error.
 */
export function formFieldOf(field: string): string | null {
  const row = /^(redirectUris|postLogoutRedirectUris)\.(\d+)$/.exec(field);
  if (row) return `${row[1]}.${row[2]}.value`;
  if (field === 'redirectUris' || field === 'postLogoutRedirectUris') return `${field}.root`;
  const head = field.split('.')[0]!;
  return Object.hasOwn(clientFieldSchemas, head) ? head : null;
}
