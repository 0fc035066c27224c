import type { Page } from '@tessera/contracts';
import type { Client, ClientPatch, NewClient } from './client.js';

/** Storage port for clients. Every method takes the tenant id: no query runs without one. */
export abstract class ClientRepository {
  /** Inserts; throws ConflictError when the client id is taken in the tenant. */
  abstract create(client: NewClient): Promise<Client>;
  abstract findByClientId(tenantId: string, clientId: string): Promise<Client | null>;
  abstract list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Client>>;
  abstract update(tenantId: string, clientId: string, patch: ClientPatch): Promise<Client | null>;
  abstract delete(tenantId: string, clientId: string): Promise<boolean>;
  /** The longest access-token lifetime of the tenant's clients (seconds), 0 if none. */
  abstract maxAccessTokenTtl(tenantId: string): Promise<number>;
}
