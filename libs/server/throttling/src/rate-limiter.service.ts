import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { rateLimitRejected } from '@tessera/observability';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import { effectiveRateLimits, TenantsService, type RateLimitSettings } from '@tessera/tenancy';

export type RateLimitName = keyof RateLimitSettings;

/** A request over its limit: how long until the window ends. */
export interface LimitExceeded {
  retryAfterSeconds: number;
}

/**
 * Fixed-window rate limits, counted in the short-lived-state store so that every server process
 * shares one count (Redis INCR; the in-process store for a single process). The limits are the
 * tenant's settings; a limit set to null counts nothing and costs nothing.
 *
 * A store that is down rejects (StoreUnavailableError), so a limited endpoint answers 503 rather
 * than running unlimited: fail closed.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly store: ShortLivedStateStore,
    private readonly tenants: TenantsService,
  ) {}

  /**
   * Counts one request of `subject` (a client id, an IP address, a username, a token hash) against
   * the limit `name` of the tenant with this slug; the limit exceeded, or null when within it.
   */
  async consume(tenantSlug: string, name: RateLimitName, subject: string): Promise<LimitExceeded | null> {
    const tenant = await this.tenants.resolve(tenantSlug);
    if (!tenant) return null;
    const limit = effectiveRateLimits(tenant.settings.rateLimits)[name];
    if (!limit) return null;
    const windowMs = limit.windowSeconds * 1000;
    // The window length is part of the key: changing a limit starts a fresh count.
    const key = `rl:${tenant.id}:${name}:${limit.windowSeconds}:${hashed(subject)}`;
    const { count, resetInMs } = await this.store.increment(key, windowMs);
    if (count <= limit.max) return null;
    rateLimitRejected.publish({ tenant, limit: name });
    return { retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
  }
}

/** Subjects may be usernames or bearer tokens: the store sees only a digest of them. */
export function hashed(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url').slice(0, 32);
}
