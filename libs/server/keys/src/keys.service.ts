import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { InProcessInvalidationBus, InvalidationBus } from '@tessera/caching';
import { NotFoundError } from '@tessera/contracts';
import { KeyEncryption } from './key-encryption.js';
import { KeysOptions } from './keys.options.js';
import type { NewSigningKey, SigningAlgorithm, SigningKey } from './signing-key.js';
import { SigningKeyRepository } from './signing-key.repository.js';

export interface Signer {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

export interface PublishedKey {
  kid: string;
  /** Epoch ms when a retired key leaves the JWKS; null for the active key. */
  publishUntil: number | null;
  alg: SigningAlgorithm;
  publicKey: KeyObject;
  jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

interface TenantKeys {
  signer: Signer | null;
  published: PublishedKey[];
  /** When this snapshot must be read again (a retired key's publication ends, or the cache ages). */
  until: number;
  loadedAt: number;
}

/** How long a process reuses a tenant's keys before reading them again. */
const CACHE_TTL_MS = 30_000;
const RELOAD_ON_UNKNOWN_KID_MS = 1_000;
const KEYS_TOPIC = 'keys';

@Injectable()
export class KeysService {
  private readonly encryption: KeyEncryption;
  private readonly cache = new Map<string, TenantKeys>();

  constructor(
    private readonly repository: SigningKeyRepository,
    options: KeysOptions,
    @Optional() private readonly bus: InvalidationBus = new InProcessInvalidationBus(),
  ) {
    this.encryption = new KeyEncryption(options.keyEncryptionKey);
    // Another process rotated: sign with the new key here too, at once.
    bus.subscribe(KEYS_TOPIC, (tenantId) => (tenantId === null ? this.cache.clear() : this.cache.delete(tenantId)));
  }

  /** Creates the first signing key of a new tenant. */
  async createInitialKey(tenantId: string): Promise<SigningKey> {
    const key = await this.repository.insert(this.generate(tenantId));
    await this.invalidate(tenantId);
    return key;
  }

  /**
   * Makes a fresh key the signing key. The old public key stays in the JWKS until `tokenLifetimeMs`
   * from now, so every token it signed can still be verified until it expires.
   */
  async rotate(tenantId: string, tokenLifetimeMs: number): Promise<SigningKey> {
    const now = new Date();
    const key = await this.repository.rotate(tenantId, this.generate(tenantId), now, new Date(now.getTime() + tokenLifetimeMs));
    await this.invalidate(tenantId);
    return key;
  }

  list(tenantId: string): Promise<SigningKey[]> {
    return this.repository.list(tenantId);
  }

  async signer(tenantId: string): Promise<Signer> {
    const keys = await this.load(tenantId);
    if (!keys.signer) throw new NotFoundError('the tenant has no active signing key');
    return keys.signer;
  }

  /** The keys that verify this tenant's tokens: the active one and retired ones still published. */
  async published(tenantId: string): Promise<PublishedKey[]> {
    return (await this.load(tenantId)).published;
  }

  /**
   * The published key with this `kid`. An unknown kid may be a key another server process just
   * rotated in: read the keys again, at most once a second per tenant, before saying no.
   */
  async publishedKey(tenantId: string, kid: string): Promise<PublishedKey | null> {
    let keys = await this.load(tenantId);
    let key = keys.published.find((k) => k.kid === kid);
    if (!key && Date.now() - keys.loadedAt >= RELOAD_ON_UNKNOWN_KID_MS) {
      this.cache.delete(tenantId);
      keys = await this.load(tenantId);
      key = keys.published.find((k) => k.kid === kid);
    }
    return key ?? null;
  }

  async jwks(tenantId: string): Promise<{ keys: PublishedKey['jwk'][] }> {
    return { keys: (await this.published(tenantId)).map((k) => k.jwk) };
  }

  /** Forgets the tenant's cached keys in every process. */
  async invalidate(tenantId: string): Promise<void> {
    this.cache.delete(tenantId);
    await this.bus.publish(KEYS_TOPIC, tenantId);
  }

  private async load(tenantId: string): Promise<TenantKeys> {
    const now = Date.now();
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > now) return hit;
    const rows = await this.repository.list(tenantId);
    let until = now + CACHE_TTL_MS;
    let signer: Signer | null = null;
    const published: PublishedKey[] = [];
    for (const row of rows) {
      const live = row.status === 'active' || (row.publishUntil !== null && row.publishUntil.getTime() > now);
      if (!live) continue;
      if (row.status === 'retired' && row.publishUntil) until = Math.min(until, row.publishUntil.getTime());
      const publicKey = createPublicKey({ key: row.publicJwk, format: 'jwk' });
      published.push({
        kid: row.kid,
        publishUntil: row.status === 'retired' && row.publishUntil ? row.publishUntil.getTime() : null,
        alg: row.alg,
        publicKey,
        jwk: { ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' },
      });
      if (row.status === 'active' && !signer) {
        const der = this.encryption.open(row.privateKeySealed, row.kid);
        signer = { kid: row.kid, alg: row.alg, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
      }
    }
    const snapshot = { signer, published, until, loadedAt: now };
    this.cache.set(tenantId, snapshot);
    return snapshot;
  }

  private generate(tenantId: string): NewSigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = randomBytes(12).toString('base64url');
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    return {
      tenantId,
      kid,
      alg: 'ES256',
      publicJwk: { kty, crv, x, y },
      privateKeySealed: this.encryption.seal(der, kid),
      status: 'active',
      retiredAt: null,
      publishUntil: null,
    };
  }
}
