import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import { isUuid, NotFoundError, type Page } from '@tessera/contracts';
import type { Consent, ConsentWithClient } from './consent.js';
import { ConsentRepository, type ConsentFilter } from './consent.repository.js';

@Injectable()
export class ConsentsService {
  constructor(
    private readonly repository: ConsentRepository,
    private readonly clock: Clock,
  ) {}

  /** Whether the user already allowed every one of `scopes` for this client. */
  async covers(tenantId: string, userId: string, clientRef: string, scopes: readonly string[]): Promise<Consent | null> {
    const consent = await this.repository.find(tenantId, userId, clientRef);
    if (!consent) return null;
    const granted = new Set(consent.scopes);
    return scopes.every((s) => granted.has(s)) ? consent : null;
  }

  grant(tenantId: string, userId: string, clientRef: string, scopes: readonly string[]): Promise<Consent> {
    return this.repository.grant(tenantId, userId, clientRef, scopes);
  }

  touch(tenantId: string, id: string): Promise<void> {
    return this.repository.touch(tenantId, id, this.clock.date());
  }

  list(tenantId: string, filter: ConsentFilter, page: { limit: number; cursor?: string }): Promise<Page<ConsentWithClient>> {
    return this.repository.list(tenantId, filter, page);
  }

  async get(tenantId: string, id: string): Promise<ConsentWithClient> {
    const consent = isUuid(id) ? await this.repository.findById(tenantId, id) : null;
    if (!consent) throw new NotFoundError(`consent ${id} does not exist`);
    return consent;
  }

  /** Removes the record; the caller revokes the tokens (it knows the token machinery). */
  async withdraw(tenantId: string, id: string): Promise<ConsentWithClient> {
    const consent = await this.get(tenantId, id);
    await this.repository.delete(tenantId, id);
    return consent;
  }
}
