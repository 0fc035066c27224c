import { describe, expect, it } from '@jest/globals';
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { ManualClock } from '@tessera/clock/testing';
import { KeyEncryption } from './key-encryption.js';
import { KeysService } from './keys.service.js';
import type { NewSigningKey, SigningKey } from './signing-key.js';
import { InMemorySigningKeyRepository } from './testing/in-memory-signing-key.repository.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function setUp() {
  const kek = randomBytes(32);
  const repository = new InMemorySigningKeyRepository();
  const clock = new ManualClock();
  return { kek, repository, clock, keys: new KeysService(repository, { keyEncryptionKey: kek }, clock) };
}

/** A tenant from before RS256 keys: one active ES256 key, sealed as KeysService seals it. */
function legacyEs256Key(kek: Buffer, tenantId: string): NewSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(12).toString('base64url');
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const sealed = new KeyEncryption(kek).seal(privateKey.export({ format: 'der', type: 'pkcs8' }), kid);
  return { tenantId, kid, alg: 'ES256', publicJwk: { kty, crv, x, y }, privateKeySealed: sealed, status: 'active', retiredAt: null, publishUntil: null };
}

describe('KeysService', () => {
  it('gives a new tenant an active ES256 (P-256) and an active RS256 (RSA 2048) key, private parts sealed under the KEK', async () => {
    const { kek, repository, keys } = setUp();
    const created = await keys.createInitialKeys(TENANT);
    expect(created.map((k) => [k.alg, k.status])).toEqual([
      ['ES256', 'active'],
      ['RS256', 'active'],
    ]);
    const [es, rs] = created as [SigningKey, SigningKey];
    expect(es.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(rs.publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB' });
    expect(Object.keys(rs.publicJwk).sort()).toEqual(['e', 'kty', 'n']);
    expect(Buffer.from(rs.publicJwk.n!, 'base64url')).toHaveLength(256);

    const encryption = new KeyEncryption(kek);
    for (const key of created) {
      // Sealed exactly like the ES256 key: AES-GCM bound to the kid, nothing readable in the row.
      const der = encryption.open(key.privateKeySealed, key.kid);
      expect(key.privateKeySealed.includes(der.subarray(0, 32))).toBe(false);
      expect(() => encryption.open(key.privateKeySealed, 'another-kid')).toThrow();
      expect(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe(key.alg === 'RS256' ? 'rsa' : 'ec');
    }
    expect(await repository.list(TENANT)).toHaveLength(2);
  });

  it('signs with the key of the asked algorithm (ES256 by default), and publishes both with kid, alg and use', async () => {
    const { keys } = setUp();
    await keys.createInitialKeys(TENANT);
    const es = await keys.signer(TENANT);
    const rs = await keys.signer(TENANT, 'RS256');
    expect([es.alg, rs.alg]).toEqual(['ES256', 'RS256']);
    const data = Buffer.from('payload');
    const published = await keys.published(TENANT);
    const rsPublic = published.find((k) => k.kid === rs.kid)!;
    expect(verify('sha256', data, rsPublic.publicKey, sign('sha256', data, rs.privateKey))).toBe(true);

    const { keys: jwks } = await keys.jwks(TENANT);
    expect(jwks.map((k) => [k.kid, k.alg, k.use, k.kty])).toEqual(
      expect.arrayContaining([
        [es.kid, 'ES256', 'sig', 'EC'],
        [rs.kid, 'RS256', 'sig', 'RSA'],
      ]),
    );
    expect(jwks).toHaveLength(2);
    expect(jwks.every((k) => k.d === undefined && k.p === undefined)).toBe(true);
  });

  it('rotates both keys: new ones sign, the old ones stay published for their window and then leave the JWKS', async () => {
    const { keys, clock } = setUp();
    await keys.createInitialKeys(TENANT);
    await keys.createInitialKeys(OTHER);
    const before = [(await keys.signer(TENANT)).kid, (await keys.signer(TENANT, 'RS256')).kid];
    const rotated = await keys.rotate(TENANT, 60_000);
    expect(rotated.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    expect([(await keys.signer(TENANT)).kid, (await keys.signer(TENANT, 'RS256')).kid]).toEqual(rotated.map((k) => k.kid));
    const published = await keys.published(TENANT);
    expect(published.map((k) => k.kid).sort()).toEqual([...before, ...rotated.map((k) => k.kid)].sort());
    for (const kid of before) expect(published.find((k) => k.kid === kid)!.publishUntil).toBeGreaterThan(clock.now());
    expect(await keys.published(OTHER)).toHaveLength(2);

    clock.advance(61_000);
    expect((await keys.published(TENANT)).map((k) => k.kid).sort()).toEqual(rotated.map((k) => k.kid).sort());
  });

  it('gives a tenant from before RS256 keys its RS256 key on first need, once, even for concurrent requests', async () => {
    const { kek, repository, keys } = setUp();
    await repository.insert(legacyEs256Key(kek, TENANT));
    repository.inserts = 0;
    const signers = await Promise.all([keys.signer(TENANT, 'RS256'), keys.signer(TENANT, 'RS256'), keys.jwks(TENANT)]);
    expect(repository.inserts).toBe(1);
    expect(signers[0].kid).toBe(signers[1].kid);
    expect((await repository.list(TENANT)).filter((k) => k.status === 'active').map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect((await keys.jwks(TENANT)).keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
  });

  it('never makes a tenant from before RS256 keys wait for an RSA key on the access-token path', async () => {
    const { kek, repository, keys } = setUp();
    await repository.insert(legacyEs256Key(kek, TENANT));
    repository.inserts = 0;
    expect((await keys.signer(TENANT)).alg).toBe('ES256');
    expect((await keys.jwks(TENANT)).keys.map((k) => k.alg)).toEqual(['ES256']);
    expect(repository.inserts).toBe(0);
  });

  it('uses the RS256 key another process added meanwhile, when its own insert loses the race', async () => {
    const { kek, repository, clock } = setUp();
    await repository.insert(legacyEs256Key(kek, TENANT));
    const mine = new KeysService(repository, { keyEncryptionKey: kek }, clock);
    const theirs = new KeysService(repository, { keyEncryptionKey: kek }, clock);
    const [a, b] = await Promise.all([mine.signer(TENANT, 'RS256'), theirs.signer(TENANT, 'RS256')]);
    expect(a.kid).toBe(b.kid);
    expect((await repository.list(TENANT)).filter((k) => k.alg === 'RS256')).toHaveLength(1);
  });

  it('adds nothing to a tenant without keys, and says so', async () => {
    const { repository, keys } = setUp();
    await expect(keys.signer(TENANT, 'RS256')).rejects.toThrow('no active RS256 signing key');
    expect(repository.rows).toHaveLength(0);
  });
});
