import { CLIENT_TYPES, GRANT_TYPES, ID_TOKEN_SIGNING_ALGS, SCOPE_TOKEN_PATTERN, type ClientView, type GrantType, type IdTokenSigningAlg } from '@tessera/contracts';
import { z } from 'zod';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Redirect URI rules, checked as the admin types: absolute, no fragment, https (or plain http on a
 * loopback address, RFC 8252 section 7.3), or a native app's private-use scheme in reverse-domain
 * form (RFC 8252 section 7.1). Returns the problem in plain words, or null.
 */
export function redirectUriProblem(value: string): string | null {
  const uri = value.trim();
  if (uri === '') return 'Enter a URI or remove this row';
  if (uri.includes('#')) return 'Must not contain a fragment (#…)';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'Must be an absolute URI, e.g. https://app.example.com/callback';
  }
  if (url.protocol === 'https:') return url.hostname ? null : 'Must name a host';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.includes(url.hostname) ? null : 'Plain http is allowed only for loopback addresses (localhost, 127.0.0.1, [::1]); use https';
  }
  if (['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(url.protocol)) return `The ${url.protocol} scheme is not allowed`;
  // Native apps: a private-use scheme such as com.example.app:/callback.
  return url.protocol.slice(0, -1).includes('.') ? null : 'Must use https, loopback http, or a reverse-domain app scheme (com.example.app:/…)';
}

/** Grants that send the user back to a redirect URI. */
const REDIRECTING_GRANTS: GrantType[] = ['authorization_code', 'implicit'];

export const DEPRECATED_GRANTS: GrantType[] = ['password', 'implicit'];

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

const uriRow = z.object({
  value: z.string().superRefine((value, ctx) => {
    const problem = redirectUriProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export const clientFormSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the client a name').max(200, 'At most 200 characters'),
    type: z.enum(CLIENT_TYPES),
    redirectUris: z.array(uriRow).max(50, 'At most 50 redirect URIs'),
    postLogoutRedirectUris: z.array(uriRow).max(50, 'At most 50 URIs'),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, 'Choose at least one grant type'),
    scopes: z.array(z.string().regex(SCOPE_TOKEN_PATTERN, 'Not a valid scope name')).max(200),
    firstParty: z.boolean(),
    accessTokenTtl: z.number({ error: 'Enter a number of seconds' }).int().min(60, 'At least 60 seconds').max(86_400, 'At most 1 day (86400 s)'),
    refreshTokenTtl: z
      .number({ error: 'Enter a number of seconds' })
      .int()
      .min(60, 'At least 60 seconds')
      .max(31_536_000, 'At most 1 year (31536000 s)'),
    refreshTokenIdleTtl: z
      .number({ error: 'Enter a number of seconds' })
      .int()
      .min(60, 'At least 60 seconds')
      .max(31_536_000, 'At most 1 year (31536000 s)'),
    idTokenSignedResponseAlg: z.enum(ID_TOKEN_SIGNING_ALGS),
  })
  .superRefine((v, ctx) => {
    if (v.grantTypes.some((g) => REDIRECTING_GRANTS.includes(g)) && v.redirectUris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'Add at least one redirect URI for the authorization code or implicit grant' });
    }
    if (v.type === 'public' && v.grantTypes.includes('client_credentials')) {
      ctx.addIssue({ code: 'custom', path: ['grantTypes'], message: 'Client credentials needs a confidential client' });
    }
    if (v.type === 'public' && v.grantTypes.includes('password')) {
      ctx.addIssue({ code: 'custom', path: ['grantTypes'], message: 'The password grant needs a confidential client' });
    }
  });

export type ClientFormValues = z.infer<typeof clientFormSchema>;

export const NEW_CLIENT: ClientFormValues = {
  name: '',
  type: 'confidential',
  redirectUris: [{ value: '' }],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  firstParty: false,
  accessTokenTtl: 3600,
  refreshTokenTtl: 2_592_000,
  refreshTokenIdleTtl: 1_209_600,
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

/** The API body (CreateClientInput / UpdateClientInput) from the form values. */
export function requestBodyOf(values: ClientFormValues, mode: 'create' | 'edit') {
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
  return mode === 'create' ? { ...body, type: values.type } : body;
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
  if (['name', 'type', 'grantTypes', 'scopes', 'firstParty', 'accessTokenTtl', 'refreshTokenTtl', 'refreshTokenIdleTtl', 'idTokenSignedResponseAlg'].includes(head)) return head;
  return null;
}
