import type { ClientType, GrantType, IdTokenSigningAlg } from '@tessera/contracts';

export interface Client {
  /** Internal primary key. */
  id: string;
  tenantId: string;
  /** The public `client_id`, unique within its tenant. */
  clientId: string;
  name: string;
  type: ClientType;
  /** HMAC-SHA-256 of the secret under the server's secret-hashing key; null for public clients. */
  secretHash: Buffer | null;
  secretRotatedAt: Date | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  firstParty: boolean;
  builtIn: boolean;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  refreshTokenIdleTtl: number;
  /** OIDC id_token_signed_response_alg: the algorithm (and so the tenant key) that signs its ID tokens. */
  idTokenSignedResponseAlg: IdTokenSigningAlg;
  createdAt: Date;
  updatedAt: Date;
}

export type NewClient = Omit<Client, 'id' | 'createdAt' | 'updatedAt' | 'secretRotatedAt'>;
export type ClientPatch = Partial<
  Pick<
    Client,
    | 'name'
    | 'redirectUris'
    | 'postLogoutRedirectUris'
    | 'grantTypes'
    | 'scopes'
    | 'firstParty'
    | 'accessTokenTtl'
    | 'refreshTokenTtl'
    | 'refreshTokenIdleTtl'
    | 'idTokenSignedResponseAlg'
    | 'secretHash'
    | 'secretRotatedAt'
  >
>;
