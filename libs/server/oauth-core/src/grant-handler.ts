import type { IdTokenSigningAlg } from '@tessera/contracts';
import type { PresentedClient } from './client-credentials-input.js';

/** Injection token under which every grant module registers its handler (multi-provider). */
export const GRANT_HANDLERS = Symbol('GRANT_HANDLERS');

/** What a grant needs to know about the authenticated client. */
export interface AuthenticatedClient {
  tenantId: string;
  /** Internal id of the client record (refresh families and consents refer to it). */
  ref: string;
  clientId: string;
  type: 'confidential' | 'public';
  grantTypes: readonly string[];
  scopes: readonly string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** Seconds a refresh token may sit unused before its family lapses. */
  refreshTokenIdleTtl: number;
  /** Which algorithm (and tenant key) signs this client's ID tokens. */
  idTokenSignedResponseAlg: IdTokenSigningAlg;
  authMethod: PresentedClient['method'];
}

export interface TenantContext {
  id: string;
  slug: string;
  issuer: string;
  audience: string;
  settings: { passwordGrantEnabled: boolean; implicitGrantEnabled: boolean };
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** Where a request came from, for audit events. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface GrantContext<P extends string = string> {
  tenant: TenantContext;
  client: AuthenticatedClient;
  params: Partial<Record<P, string>>;
  meta: RequestMeta;
}

/**
 * One grant type at the token endpoint (RFC 6749 section 4). Self-describing: the controller reads
 * `parameters` and passes only those to `handle()`, so a grant never sees what it did not declare.
 */
export interface GrantHandler<P extends string = string> {
  readonly grantType: string;
  readonly parameters: readonly P[];
  handle(context: GrantContext<P>): Promise<TokenResponse>;
}
