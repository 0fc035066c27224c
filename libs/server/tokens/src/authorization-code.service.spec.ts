import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@tessera/clock/testing';
import { InMemoryShortLivedStateStore } from '@tessera/short-lived-state';
import { AUTHORIZATION_CODE_TTL_MS, AuthorizationCodeService } from './authorization-code.service.js';
import { newAuthorizationCodeGrant } from './testing/authorization-code-grant.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const GRANT = newAuthorizationCodeGrant();

// AuthorizationCodeService over the real in-process store, whose TTLs run on a clock the spec moves.
describe('AuthorizationCodeService', () => {
  let clock: ManualClock;
  let store: InMemoryShortLivedStateStore;
  let codes: AuthorizationCodeService;

  beforeEach(() => {
    clock = new ManualClock();
    store = new InMemoryShortLivedStateStore({ clock });
    codes = new AuthorizationCodeService(store);
  });

  afterEach(async () => {
    await store.close();
  });

  it('lets a code live 60 seconds and no longer (CONTRACT.md; RFC 6749 section 4.1.2)', async () => {
    expect(AUTHORIZATION_CODE_TTL_MS).toBe(60_000);
    const early = await codes.issue(TENANT, GRANT);
    const late = await codes.issue(TENANT, GRANT);
    clock.advance(AUTHORIZATION_CODE_TTL_MS - 1);
    expect(await codes.take(TENANT, early)).toEqual(GRANT);
    clock.advance(1);
    expect(await codes.take(TENANT, late)).toBeNull();
  });

  it('redeems a code once: a second take finds nothing, and the redeemed record outlives the code', async () => {
    const code = await codes.issue(TENANT, GRANT);
    expect(await codes.take(TENANT, code)).toEqual(GRANT);
    expect(await codes.take(TENANT, code)).toBeNull();
    await codes.markRedeemed(TENANT, code, { grantId: 'grant-1' }, 3_600_000);
    clock.advance(AUTHORIZATION_CODE_TTL_MS);
    expect(await codes.redeemed(TENANT, code)).toEqual({ grantId: 'grant-1' });
  });
});
