import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore } from '@tessera/short-lived-state';
import { DEFAULT_TENANT_SETTINGS, type TenantsService } from '@tessera/tenancy';
import { RateLimiter } from './rate-limiter.service.js';

// RateLimiter over the real in-process store, both on one clock that the spec moves.

const TENANT = { id: '11111111-1111-4111-8111-111111111111', slug: 'acme' };

describe('RateLimiter', () => {
  it('counts per tenant limit and subject, answers Retry-After from the window, and costs nothing when a limit is off', async () => {
    const clock = new ManualClock(0);
    const store = new InMemoryShortLivedStateStore({ clock });
    const rateLimits = { tokenPerClient: { max: 2, windowSeconds: 10 }, adminApiPerToken: null };
    const tenants = { resolve: async () => ({ ...TENANT, settings: { ...DEFAULT_TENANT_SETTINGS, rateLimits } }) } as unknown as TenantsService;
    const limiter = new RateLimiter(store, tenants);
    expect(await limiter.consume('acme', 'tokenPerClient', 'web')).toBeNull();
    expect(await limiter.consume('acme', 'tokenPerClient', 'web')).toBeNull();
    clock.advance(2_500);
    expect(await limiter.consume('acme', 'tokenPerClient', 'web')).toEqual({ retryAfterSeconds: 8 });
    expect(await limiter.consume('acme', 'tokenPerClient', 'mobile')).toBeNull();
    clock.advance(7_500);
    expect(await limiter.consume('acme', 'tokenPerClient', 'web')).toBeNull();
    const before = store.size;
    for (let i = 0; i < 100; i++) expect(await limiter.consume('acme', 'adminApiPerToken', `t${i}`)).toBeNull();
    expect(store.size).toBe(before);
    await store.close();
  });
});
