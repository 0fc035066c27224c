import { randomBytes } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { CachedLookup, InProcessInvalidationBus, InvalidationBus } from '@tessera/caching';
import { Clock } from '@tessera/clock';
import {
  clientMetadataIssues,
  clientShapeIssues,
  ConflictError,
  NotFoundError,
  redirectUriIssues,
  ValidationFailedError,
  type ClientMetadataIssue,
  type CreateClientInput,
  type Page,
  type UpdateClientInput,
} from '@tessera/contracts';
import { InvalidClientError, type AuthenticatedClient, type PresentedClient } from '@tessera/oauth-core';
import type { Client } from './client.js';
import { ClientRepository } from './client.repository.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { ClientsOptions } from './clients.options.js';

export interface RegisteredClient {
  client: Client;
  /** Shown once: only its hash is stored. */
  clientSecret?: string;
}

@Injectable()
export class ClientsService {
  private readonly hasher: ClientSecretHasher;
  /**
   * Clients by `${tenantId}:${clientId}`: every token, introspection and revocation request reads one,
   * and they rarely change. Changes evict the entry in every process at once (the bus); the TTL bounds
   * staleness should a message be lost.
   */
  private readonly cache: CachedLookup<Client | null>;

  constructor(
    private readonly repository: ClientRepository,
    options: ClientsOptions,
    private readonly clock: Clock,
    @Optional() bus: InvalidationBus = new InProcessInvalidationBus(),
  ) {
    this.hasher = new ClientSecretHasher(options.secretHashKey);
    this.cache = new CachedLookup(bus, { topic: 'client', ttlMs: 30_000, maxEntries: 50_000 }, (key) => {
      const colon = key.indexOf(':');
      return this.repository.findByClientId(key.slice(0, colon), key.slice(colon + 1));
    }, clock);
  }

  /** Reads through the cache; every change below calls `evict`. */
  private cached(tenantId: string, clientId: string): Promise<Client | null> {
    return this.cache.get(`${tenantId}:${clientId}`);
  }

  private evict(tenantId: string, clientId: string): Promise<void> {
    return this.cache.invalidate(`${tenantId}:${clientId}`);
  }

  async register(
    tenantId: string,
    input: CreateClientInput,
    extra: { clientId?: string; clientSecret?: string; builtIn?: boolean } = {},
  ): Promise<RegisteredClient> {
    // The admin API's schema checked this already; other callers (provisioning, bootstrap) did not.
    refuseIssues(clientMetadataIssues(input));
    const clientSecret = input.type === 'confidential' ? (extra.clientSecret ?? this.hasher.generate()) : undefined;
    const client = await this.repository.create({
      tenantId,
      clientId: extra.clientId ?? randomBytes(16).toString('base64url'),
      name: input.name,
      type: input.type,
      secretHash: clientSecret === undefined ? null : this.hasher.hash(clientSecret),
      redirectUris: input.redirectUris,
      postLogoutRedirectUris: input.postLogoutRedirectUris,
      grantTypes: [...new Set(input.grantTypes)],
      scopes: [...new Set(input.scopes)],
      firstParty: input.firstParty,
      builtIn: extra.builtIn ?? false,
      accessTokenTtl: input.accessTokenTtl,
      refreshTokenTtl: input.refreshTokenTtl,
      refreshTokenIdleTtl: input.refreshTokenIdleTtl,
      idTokenSignedResponseAlg: input.idTokenSignedResponseAlg,
    });
    await this.evict(tenantId, client.clientId);
    return { client, clientSecret };
  }

  async get(tenantId: string, clientId: string): Promise<Client> {
    const client = await this.cached(tenantId, clientId);
    if (!client) throw new NotFoundError(`client ${clientId} does not exist in this tenant`);
    return client;
  }

  /** Read from the database, bypassing the cache: the base of every change. */
  private async fresh(tenantId: string, clientId: string): Promise<Client> {
    const client = await this.repository.findByClientId(tenantId, clientId);
    if (!client) throw new NotFoundError(`client ${clientId} does not exist in this tenant`);
    return client;
  }

  find(tenantId: string, clientId: string): Promise<Client | null> {
    return this.cached(tenantId, clientId);
  }

  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<Client>> {
    return this.repository.list(tenantId, page);
  }

  async update(tenantId: string, clientId: string, patch: UpdateClientInput): Promise<Client> {
    const current = await this.fresh(tenantId, clientId);
    // URIs the change sends, and the cross-field rules on the client it would produce: a URI stored
    // under an older rule does not block an unrelated change.
    refuseIssues([...redirectUriIssues(patch), ...clientShapeIssues({ ...current, ...definedOnly(patch) })]);
    const updated = await this.repository.update(tenantId, clientId, {
      ...definedOnly(patch),
      grantTypes: patch.grantTypes ? [...new Set(patch.grantTypes)] : undefined,
      scopes: patch.scopes ? [...new Set(patch.scopes)] : undefined,
    });
    await this.evict(tenantId, clientId);
    if (!updated) throw new NotFoundError(`client ${clientId} does not exist in this tenant`);
    return updated;
  }

  /** Sets a specific secret (the bootstrap client's, from configuration). */
  async setSecret(tenantId: string, clientId: string, secret: string): Promise<void> {
    await this.repository.update(tenantId, clientId, { secretHash: this.hasher.hash(secret), secretRotatedAt: this.clock.date() });
    await this.evict(tenantId, clientId);
  }

  async rotateSecret(tenantId: string, clientId: string): Promise<RegisteredClient> {
    const client = await this.fresh(tenantId, clientId);
    if (client.type !== 'confidential') throw new ConflictError('a public client has no secret to rotate');
    const clientSecret = this.hasher.generate();
    const updated = await this.repository.update(tenantId, clientId, {
      secretHash: this.hasher.hash(clientSecret),
      secretRotatedAt: this.clock.date(),
    });
    await this.evict(tenantId, clientId);
    if (!updated) throw new NotFoundError(`client ${clientId} does not exist in this tenant`);
    return { client: updated, clientSecret };
  }

  async delete(tenantId: string, clientId: string): Promise<Client> {
    const client = await this.fresh(tenantId, clientId);
    if (client.builtIn) throw new ConflictError(`client ${clientId} is built in and cannot be deleted`);
    await this.repository.delete(tenantId, clientId);
    await this.evict(tenantId, clientId);
    return client;
  }

  maxAccessTokenTtl(tenantId: string): Promise<number> {
    return this.repository.maxAccessTokenTtl(tenantId);
  }

  /**
   * RFC 6749 section 2.3 / 3.2.1: authenticates the client of a token, introspection or revocation
   * request within its tenant. Every failure is the same `invalid_client`, so a caller learns
   * nothing about which client ids exist.
   */
  async authenticate(tenantId: string, presented: PresentedClient): Promise<AuthenticatedClient> {
    const basic = presented.method === 'client_secret_basic';
    const client = presented.clientId.length <= 200 ? await this.cached(tenantId, presented.clientId) : null;
    if (presented.method === 'none') {
      if (!client || client.type !== 'public') throw new InvalidClientError('client authentication failed', basic);
    } else {
      const ok = this.hasher.verify(presented.clientSecret, client?.secretHash ?? null);
      if (!client || !ok || client.type !== 'confidential') {
        throw new InvalidClientError('client authentication failed', basic);
      }
    }
    return this.describe(client, presented.method);
  }

  /** The grant-facing view of a client. */
  describe(client: Client, authMethod: PresentedClient['method'] = 'none'): AuthenticatedClient {
    return {
      tenantId: client.tenantId,
      ref: client.id,
      clientId: client.clientId,
      type: client.type,
      grantTypes: client.grantTypes,
      scopes: client.scopes,
      accessTokenTtl: client.accessTokenTtl,
      refreshTokenTtl: client.refreshTokenTtl,
      refreshTokenIdleTtl: client.refreshTokenIdleTtl,
      idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
      authMethod,
    };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The client metadata rules (one home: @tessera/contracts) as a 400 with field errors. */
function refuseIssues(issues: readonly ClientMetadataIssue[]): void {
  if (issues.length > 0) throw new ValidationFailedError(issues.map(({ path, message }) => ({ field: path.join('.'), message })));
}
