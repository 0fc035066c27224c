import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthorizationRequest } from '@tessera/oauth-core';
import { ShortLivedStateStore } from '@tessera/short-lived-state';

/** An authorization request waiting for the user to sign in and consent. */
export interface Interaction {
  request: AuthorizationRequest;
  /** Set once the user has signed in during this interaction. */
  userId?: string;
  authTime?: number;
  /** The user's sessionVersion at that sign-in; the code issued for it carries it on. */
  sessionVersion?: number;
}

/** Ten minutes to sign in and answer the consent page. */
const INTERACTION_TTL_MS = 10 * 60_000;

@Injectable()
export class InteractionStore {
  constructor(private readonly store: ShortLivedStateStore) {}

  async create(tenantId: string, interaction: Interaction): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.store.put(this.key(tenantId, id), JSON.stringify(interaction), INTERACTION_TTL_MS);
    return id;
  }

  async get(tenantId: string, id: string): Promise<Interaction | null> {
    if (!/^[A-Za-z0-9_-]{32}$/.test(id)) return null;
    const raw = await this.store.get(this.key(tenantId, id));
    return raw ? (JSON.parse(raw) as Interaction) : null;
  }

  async update(tenantId: string, id: string, interaction: Interaction): Promise<void> {
    await this.store.put(this.key(tenantId, id), JSON.stringify(interaction), INTERACTION_TTL_MS);
  }

  /** Ends the interaction; true when this call was the one that ended it (a form posted twice loses). */
  async finish(tenantId: string, id: string): Promise<boolean> {
    return (await this.store.take(this.key(tenantId, id))) !== null;
  }

  private key(tenantId: string, id: string): string {
    return `interaction:${tenantId}:${id}`;
  }
}
