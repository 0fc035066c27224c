import { z } from 'zod';
import {
  CLIENT_LIFETIME_BOUNDS,
  CLIENT_LIMITS,
  clientShapeIssues,
  redirectUriProblem,
  type ClientLifetimeName,
  type ClientMetadataIssue,
} from './client-metadata.rules.js';
import { CLIENT_TYPES, GRANT_TYPES, ID_TOKEN_SIGNING_ALGS, SCOPE_TOKEN_PATTERN, type IdTokenSigningAlg } from './oauth.js';
import { withoutControlCharacters } from './text.schema.js';

const lifetime = (name: ClientLifetimeName) => {
  const { min, max, maxInWords } = CLIENT_LIFETIME_BOUNDS[name];
  return z
    .number({ error: 'Enter a number of seconds' })
    .int('Enter a whole number of seconds')
    .min(min, `At least ${min} seconds`)
    .max(max, `At most ${maxInWords} (${max} s)`);
};

/** A redirect or post-logout redirect URI, checked by the one rule (client-metadata.rules.ts). */
export const redirectUriSchema = z
  .string()
  .superRefine((uri, ctx) => {
    const message = redirectUriProblem(uri);
    if (message) ctx.addIssue({ code: 'custom', message });
  })
  // For OpenAPI: the rule checks these itself, with its own messages.
  .meta({
    minLength: 1,
    maxLength: CLIENT_LIMITS.uriLength,
    description: 'An absolute URI without fragment: https, http on a loopback host, or a reverse-domain private-use scheme (RFC 8252)',
  });

/**
 * A list of redirect or post-logout redirect URIs with its limit; `item` is the URI itself for the
 * API and a row holding one for the dashboard's form.
 */
export function uriListSchema<T extends z.ZodType>(list: 'redirectUris' | 'postLogoutRedirectUris', item: T) {
  const max = CLIENT_LIMITS[list];
  return z.array(item).max(max, list === 'redirectUris' ? `At most ${max} redirect URIs` : `At most ${max} URIs`);
}

const scopeName = z
  .string()
  .min(1, 'Not a valid scope name')
  .max(CLIENT_LIMITS.scopeLength, `At most ${CLIENT_LIMITS.scopeLength} characters`)
  .regex(SCOPE_TOKEN_PATTERN, 'Not a valid scope name');

/**
 * The fields of a client registration, each with its own limits. Exported so that the dashboard's
 * form checks exactly what the API checks, with the same messages.
 */
export const clientFieldSchemas = {
  name: withoutControlCharacters(
    z
      .string()
      .trim()
      .min(1, 'Give the client a name')
      .max(CLIENT_LIMITS.nameLength, `At most ${CLIENT_LIMITS.nameLength} characters`),
  ),
  type: z.enum(CLIENT_TYPES, { error: 'Must be confidential or public' }),
  redirectUris: uriListSchema('redirectUris', redirectUriSchema),
  postLogoutRedirectUris: uriListSchema('postLogoutRedirectUris', redirectUriSchema),
  grantTypes: z
    .array(z.enum(GRANT_TYPES, { error: `Must be one of ${GRANT_TYPES.join(', ')}` }))
    .min(1, 'Choose at least one grant type')
    .max(GRANT_TYPES.length, 'Name each grant type once'),
  scopes: z.array(scopeName).max(CLIENT_LIMITS.scopes, `At most ${CLIENT_LIMITS.scopes} scopes`),
  firstParty: z.boolean(),
  accessTokenTtl: lifetime('accessTokenTtl'),
  refreshTokenTtl: lifetime('refreshTokenTtl'),
  refreshTokenIdleTtl: lifetime('refreshTokenIdleTtl'),
  /** OIDC id_token_signed_response_alg. */
  idTokenSignedResponseAlg: z.enum(ID_TOKEN_SIGNING_ALGS, { error: `Must be ${ID_TOKEN_SIGNING_ALGS.join(' or ')}` }),
};

/** Reports rule issues on a zod context, at the path `pathOf` gives (the form's rows differ from the API's). */
export function addClientMetadataIssues(
  ctx: z.RefinementCtx,
  issues: readonly ClientMetadataIssue[],
  pathOf: (path: ClientMetadataIssue['path']) => PropertyKey[] = (path) => path,
): void {
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: pathOf(issue.path), message: issue.message });
}

const { redirectUris, postLogoutRedirectUris, scopes, firstParty, accessTokenTtl, refreshTokenTtl, refreshTokenIdleTtl, idTokenSignedResponseAlg } =
  clientFieldSchemas;

export const createClientSchema = z
  .object({
    ...clientFieldSchemas,
    redirectUris: redirectUris.default([]),
    postLogoutRedirectUris: postLogoutRedirectUris.default([]),
    scopes: scopes.default([]),
    firstParty: firstParty.default(false),
    accessTokenTtl: accessTokenTtl.default(CLIENT_LIFETIME_BOUNDS.accessTokenTtl.default),
    refreshTokenTtl: refreshTokenTtl.default(CLIENT_LIFETIME_BOUNDS.refreshTokenTtl.default),
    refreshTokenIdleTtl: refreshTokenIdleTtl.default(CLIENT_LIFETIME_BOUNDS.refreshTokenIdleTtl.default),
    // OIDC Dynamic Client Registration 2: RS256 when a client names no algorithm.
    idTokenSignedResponseAlg: idTokenSignedResponseAlg.default('RS256'),
  })
  .strict()
  // Cross-field rules; each URI was checked by its own field above.
  .superRefine((client, ctx) => addClientMetadataIssues(ctx, clientShapeIssues(client)));
export type CreateClientInput = z.infer<typeof createClientSchema>;
/** The body as a client of the API sends it (fields with a default may be left out). */
export type CreateClientBody = z.input<typeof createClientSchema>;

/**
 * A PATCH: any field, each checked alone. The type is fixed at creation; the cross-field rules need
 * the stored client and run in the clients service on the client the change would produce.
 */
export const updateClientSchema = z.object(clientFieldSchemas).omit({ type: true }).partial().strict();
export type UpdateClientInput = z.infer<typeof updateClientSchema>;
export type UpdateClientBody = z.input<typeof updateClientSchema>;

export interface ClientView {
  clientId: string;
  name: string;
  type: 'confidential' | 'public';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  scopes: string[];
  firstParty: boolean;
  builtIn: boolean;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshTokenIdleTtl: number;
  idTokenSignedResponseAlg: IdTokenSigningAlg;
  secretRotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer to creation and secret rotation: the only time the secret is ever shown. */
export interface ClientWithSecretView extends ClientView {
  clientSecret?: string;
}
