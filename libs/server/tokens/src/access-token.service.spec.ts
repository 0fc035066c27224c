import { beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import { ManualClock } from '@tessera/clock/testing';
import { KeysService } from '@tessera/keys';
import { InMemorySigningKeyRepository } from '@tessera/keys/testing';
import type { TenantContext } from '@tessera/oauth-core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AccessTokenService, type AccessTokenClaims } from './access-token.service.js';
import { signEs256Jwt } from './jwt.js';

const START = Date.parse('2030-01-01T00:00:00.000Z');

function tenantContext(id: string, slug: string): TenantContext {
  const issuer = `https://as.example/t/${slug}`;
  return { id, slug, issuer, audience: `${issuer}/api`, settings: { passwordGrantEnabled: false, implicitGrantEnabled: false } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('AccessTokenService', () => {
  const tenantA = tenantContext('11111111-1111-4111-8111-111111111111', 'acme');
  const tenantB = tenantContext('22222222-2222-4222-8222-222222222222', 'globex');
  let clock: ManualClock;
  let keys: KeysService;
  let service: AccessTokenService;

  // One clock for both services: AccessTokenService's expiry checks and KeysService's key cache.
  const advance = (ms: number) => clock.advance(ms);

  const mint = (tenant = tenantA, ttlSeconds = 300) =>
    service.mint({ tenant, clientId: 'svc', subject: 'svc', scopes: ['read', 'write'], ttlSeconds });

  beforeEach(async () => {
    clock = new ManualClock(START);
    keys = new KeysService(new InMemorySigningKeyRepository(), { keyEncryptionKey: randomBytes(32) }, clock);
    await keys.createInitialKeys(tenantA.id);
    await keys.createInitialKeys(tenantB.id);
    service = new AccessTokenService(keys, clock);
  });

  it('mints RFC 9068 claims and verifies its own token back to the same claims', async () => {
    const { token, claims } = await service.mint({
      tenant: tenantA,
      clientId: 'web',
      subject: 'user-1',
      scopes: ['openid', 'read'],
      ttlSeconds: 600,
      authTime: 1_893_455_000,
    });
    expect(claims).toEqual({
      iss: tenantA.issuer,
      sub: 'user-1',
      aud: tenantA.audience,
      client_id: 'web',
      scope: 'openid read',
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      iat: START / 1000,
      exp: START / 1000 + 600,
      auth_time: 1_893_455_000,
    });
    expect(await service.verify(tenantA, token)).toEqual(claims);
  });

  it('gives every token its own jti', async () => {
    const jtis = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await mint()).claims.jti)));
    expect(jtis.size).toBe(20);
  });

  it('signs a token any JOSE library verifies against the tenant JWKS, with typ at+jwt (RFC 9068 section 2.1)', async () => {
    const { token, claims } = await mint();
    const jwks = createLocalJWKSet(await keys.jwks(tenantA.id));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: tenantA.issuer,
      audience: tenantA.audience,
      typ: 'at+jwt',
      algorithms: ['ES256'],
      currentDate: new Date(clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: (await keys.signer(tenantA.id)).kid });
    expect(payload).toEqual(claims);
  });

  it('does not verify under another tenant\'s JWKS', async () => {
    const { token } = await mint(tenantA);
    const otherJwks = createLocalJWKSet(await keys.jwks(tenantB.id));
    await expect(jwtVerify(token, otherJwks, { currentDate: new Date(clock.now()) })).rejects.toThrow();
  });

  it('rejects a token whose payload was changed after signing', async () => {
    const { token, claims } = await mint();
    const [h, , s] = token.split('.');
    const forged = `${h}.${b64({ ...claims, scope: 'read write admin' })}.${s}`;
    expect(await service.verify(tenantA, forged)).toBeNull();
  });

  it('rejects a token whose signature or header was changed', async () => {
    const { token } = await mint();
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    sig[10] ^= 1;
    expect(await service.verify(tenantA, `${h}.${p}.${sig.toString('base64url')}`)).toBeNull();
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    expect(await service.verify(tenantA, `${b64({ ...header, extra: 1 })}.${p}.${s}`)).toBeNull();
    expect(await service.verify(tenantA, `${h}.${p}.`)).toBeNull();
  });

  it('rejects a token of tenant A presented to tenant B, and to a context with another issuer', async () => {
    const { token } = await mint(tenantA);
    expect(await service.verify(tenantB, token)).toBeNull();
    expect(await service.verify({ ...tenantA, issuer: 'https://as.example/t/other' }, token)).toBeNull();
  });

  it('rejects a token signed by another tenant\'s key even when it names this tenant\'s issuer or kid', async () => {
    const signerB = await keys.signer(tenantB.id);
    const signerA = await keys.signer(tenantA.id);
    const now = clock.now() / 1000;
    const claims: AccessTokenClaims = {
      iss: tenantA.issuer,
      sub: 'attacker',
      aud: tenantA.audience,
      client_id: 'svc',
      scope: 'admin',
      jti: 'forged',
      iat: now,
      exp: now + 300,
    };
    const withOwnKid = signEs256Jwt({ alg: 'ES256', typ: 'at+jwt', kid: signerB.kid }, { ...claims }, signerB.privateKey);
    const withVictimKid = signEs256Jwt({ alg: 'ES256', typ: 'at+jwt', kid: signerA.kid }, { ...claims }, signerB.privateKey);
    expect(await service.verify(tenantA, withOwnKid)).toBeNull();
    expect(await service.verify(tenantA, withVictimKid)).toBeNull();
    // The same claims signed with A's key do verify: the rejection above is about the key alone.
    const genuine = signEs256Jwt({ alg: 'ES256', typ: 'at+jwt', kid: signerA.kid }, { ...claims }, signerA.privateKey);
    expect(await service.verify(tenantA, genuine)).toEqual(claims);
  });

  it('rejects alg none and HS256 headers (no algorithm confusion with the public key)', async () => {
    const { claims } = await mint();
    const kid = (await keys.signer(tenantA.id)).kid;
    const none = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims)}.`;
    expect(await service.verify(tenantA, none)).toBeNull();
    const publicJwk = (await keys.jwks(tenantA.id)).keys[0]!;
    for (const secret of [JSON.stringify(publicJwk), String(publicJwk.x)]) {
      const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64(claims)}`;
      const hs256 = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect(await service.verify(tenantA, hs256)).toBeNull();
    }
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'garbage'],
    ['three dots', '..'],
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['four parts', 'a.b.c.d'],
    ['non-JSON parts', 'bm90IGpzb24.bm90IGpzb24.c2ln'],
    ['a JSON array header', `${Buffer.from('[1]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`],
    ['characters outside base64url', 'ab+c.de/f.gh=='],
    ['a 10 KB token', `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`],
  ])('returns null for %s', async (_label, token) => {
    expect(await service.verify(tenantA, token)).toBeNull();
  });

  it('rejects a token without typ at+jwt, but accepts the application/at+jwt spelling', async () => {
    const signer = await keys.signer(tenantA.id);
    const { claims } = await mint();
    for (const typ of [undefined, 'JWT', 'id+jwt']) {
      const token = signEs256Jwt({ alg: 'ES256', kid: signer.kid, ...(typ ? { typ } : {}) }, { ...claims }, signer.privateKey);
      expect(await service.verify(tenantA, token)).toBeNull();
    }
    const long = signEs256Jwt({ alg: 'ES256', kid: signer.kid, typ: 'application/at+jwt' }, { ...claims }, signer.privateKey);
    expect(await service.verify(tenantA, long)).toEqual(claims);
  });

  it('rejects a signed token missing a required claim', async () => {
    const signer = await keys.signer(tenantA.id);
    const { claims } = await mint();
    for (const claim of ['sub', 'client_id', 'scope', 'jti', 'iat', 'exp', 'aud'] as const) {
      const { [claim]: _dropped, ...rest } = claims;
      const token = signEs256Jwt({ alg: 'ES256', typ: 'at+jwt', kid: signer.kid }, rest, signer.privateKey);
      expect(await service.verify(tenantA, token)).toBeNull();
    }
  });

  it('verifies until the second before exp and rejects from exp on (clock injected)', async () => {
    const { token } = await mint(tenantA, 300);
    advance(299_999);
    expect(await service.verify(tenantA, token)).not.toBeNull();
    advance(1);
    expect(await service.verify(tenantA, token)).toBeNull();
  });

  it('accepts iat up to a minute ahead (another node\'s clock) and rejects a token issued further in the future', async () => {
    const mintAt = async (offsetMs: number) => {
      clock.advance(offsetMs);
      const { token } = await mint();
      clock.advance(-offsetMs);
      return token;
    };
    const within = await mintAt(59_000);
    const beyond = await mintAt(61_000);
    expect(await service.verify(tenantA, within)).not.toBeNull();
    expect(await service.verify(tenantA, beyond)).toBeNull();
  });

  it('keeps verifying tokens of a rotated key while it is published, and not after its window ends', async () => {
    const { token: old } = await mint(tenantA, 3600);
    const oldKid = (await keys.signer(tenantA.id)).kid;
    // The old key stays published for 10 minutes, shorter than the token's hour (to isolate the key).
    await keys.rotate(tenantA.id, 600_000);
    const { token: fresh } = await mint(tenantA, 3600);
    expect((await keys.signer(tenantA.id)).kid).not.toBe(oldKid);
    expect((await keys.jwks(tenantA.id)).keys.map((k) => k.kid)).toContain(oldKid);
    expect(await service.verify(tenantA, old)).not.toBeNull();
    expect(await service.verify(tenantA, fresh)).not.toBeNull();

    advance(599_000);
    expect(await service.verify(tenantA, old)).not.toBeNull();
    advance(1_001);
    expect((await keys.jwks(tenantA.id)).keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(await service.verify(tenantA, old)).toBeNull();
    expect(await service.verify(tenantA, fresh)).not.toBeNull();
  });
});
