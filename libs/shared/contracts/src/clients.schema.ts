import { z } from 'zod';
import { CLIENT_TYPES, GRANT_TYPES, ID_TOKEN_SIGNING_ALGS, SCOPE_TOKEN_PATTERN, type IdTokenSigningAlg } from './oauth.js';
import { withoutControlCharacters } from './text.schema.js';

const ttl = (max: number) => z.number().int().min(60).max(max);
const scopeName = z.string().min(1).max(128).regex(SCOPE_TOKEN_PATTERN, 'must be a valid scope token');
const uri = withoutControlCharacters(z.string().min(1).max(2048));

const clientFields = {
  name: withoutControlCharacters(z.string().trim().min(1).max(200)),
  redirectUris: z.array(uri).max(50),
  postLogoutRedirectUris: z.array(uri).max(50),
  grantTypes: z.array(z.enum(GRANT_TYPES)).min(1).max(GRANT_TYPES.length),
  scopes: z.array(scopeName).max(200),
  firstParty: z.boolean(),
  accessTokenTtl: ttl(86_400),
  refreshTokenTtl: ttl(31_536_000),
  /** A refresh token unused this long lapses, whatever its absolute lifetime (RFC 9700 section 4.14.2). */
  refreshTokenIdleTtl: ttl(31_536_000),
  /** OIDC id_token_signed_response_alg. */
  idTokenSignedResponseAlg: z.enum(ID_TOKEN_SIGNING_ALGS),
};

export const createClientSchema = z
  .object({
    ...clientFields,
    type: z.enum(CLIENT_TYPES),
    redirectUris: clientFields.redirectUris.default([]),
    postLogoutRedirectUris: clientFields.postLogoutRedirectUris.default([]),
    scopes: clientFields.scopes.default([]),
    firstParty: clientFields.firstParty.default(false),
    accessTokenTtl: clientFields.accessTokenTtl.default(3600),
    refreshTokenTtl: clientFields.refreshTokenTtl.default(2_592_000),
    refreshTokenIdleTtl: clientFields.refreshTokenIdleTtl.default(1_209_600),
    // OIDC Dynamic Client Registration 2: RS256 when a client names no algorithm.
    idTokenSignedResponseAlg: clientFields.idTokenSignedResponseAlg.default('RS256'),
  })
  .strict();
export type CreateClientInput = z.infer<typeof createClientSchema>;

export const updateClientSchema = z.object(clientFields).partial().strict();
export type UpdateClientInput = z.infer<typeof updateClientSchema>;

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
