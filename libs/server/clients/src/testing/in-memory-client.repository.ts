import { randomUUID } from 'node:crypto';
import { ConflictError, type Page } from '@tessera/contracts';
import type { Client, ClientPatch, NewClient } from '../client.js';
import { ClientRepository } from '../client.repository.js';

/** ClientRepository over a Map, for service specs where a database adds nothing. */
export class InMemoryClientRepository extends ClientRepository {
  readonly rows = new Map<string, Client>();
  /** Every findByClientId call, so specs can show when the repository was not consulted. */
  readonly lookups: Array<[string, string]> = [];

  private static key(tenantId: string, clientId: string): string {
    return JSON.stringify([tenantId, clientId]);
  }

  async create(client: NewClient): Promise<Client> {
    const key = InMemoryClientRepository.key(client.tenantId, client.clientId);
    if (this.rows.has(key)) throw new ConflictError(`client ${client.clientId} already exists in this tenant`);
    // Stands in for the columns' DEFAULT now(): when a row was written, not a rule's input.
    const now = new Date();
    const row: Client = clone({ ...client, id: randomUUID(), secretRotatedAt: null, createdAt: now, updatedAt: now });
    this.rows.set(key, row);
    return clone(row);
  }

  async findByClientId(tenantId: string, clientId: string): Promise<Client | null> {
    this.lookups.push([tenantId, clientId]);
    const row = this.rows.get(InMemoryClientRepository.key(tenantId, clientId));
    return row ? clone(row) : null;
  }

  async list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Client>> {
    const all = [...this.rows.values()].filter((c) => c.tenantId === tenantId);
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    return { items, next: start + page.limit < all.length ? String(start + page.limit) : null };
  }

  async update(tenantId: string, clientId: string, patch: ClientPatch): Promise<Client | null> {
    const row = this.rows.get(InMemoryClientRepository.key(tenantId, clientId));
    if (!row) return null;
    for (const [field, value] of Object.entries(patch)) {
      if (value !== undefined) (row as unknown as Record<string, unknown>)[field] = value;
    }
    row.updatedAt = new Date();
    return clone(row);
  }

  async delete(tenantId: string, clientId: string): Promise<boolean> {
    return this.rows.delete(InMemoryClientRepository.key(tenantId, clientId));
  }

  async maxAccessTokenTtl(tenantId: string): Promise<number> {
    return Math.max(0, ...[...this.rows.values()].filter((c) => c.tenantId === tenantId).map((c) => c.accessTokenTtl));
  }
}

/** A copy sharing nothing with the stored row (structuredClone would turn a Buffer into a Uint8Array). */
function clone(row: Client): Client {
  return {
    ...row,
    secretHash: row.secretHash ? Buffer.from(row.secretHash) : null,
    redirectUris: [...row.redirectUris],
    postLogoutRedirectUris: [...row.postLogoutRedirectUris],
    grantTypes: [...row.grantTypes],
    scopes: [...row.scopes],
  };
}
