import { Injectable } from '@nestjs/common';
import { ClientsService } from '@tessera/clients';
import {
  InvalidClientError,
  readClientCredentials,
  readParams,
  type AuthenticatedClient,
  type TenantContext,
} from '@tessera/oauth-core';

/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 section
 * 2.3): `client_secret_basic`, `client_secret_post`, or `none` for public clients.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly clients: ClientsService) {}

  async authenticate(tenant: TenantContext, authorization: string | undefined, body: unknown): Promise<AuthenticatedClient> {
    const params = readParams(body, ['client_id', 'client_secret']);
    const presented = readClientCredentials(authorization, params);
    if (!presented) throw new InvalidClientError('client authentication is required');
    return this.clients.authenticate(tenant.id, presented);
  }

  /** Introspection and revocation need a client that can keep a secret. */
  async authenticateConfidential(tenant: TenantContext, authorization: string | undefined, body: unknown): Promise<AuthenticatedClient> {
    const client = await this.authenticate(tenant, authorization, body);
    if (client.type !== 'confidential') {
      throw new InvalidClientError('this endpoint requires a confidential client', client.authMethod === 'client_secret_basic');
    }
    return client;
  }
}
