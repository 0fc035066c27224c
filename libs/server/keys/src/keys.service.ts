import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { Injectable, Optional } from '@nestjs/common';
import { InProcessInvalidationBus, InvalidationBus } from '@tessera/caching';
import { Clock } from '@tessera/clock';
import { NotFoundError } from '@tessera/contracts';
import { cacheLookedUp } from '@tessera/observability';
import { KeyEncryption } from './key-encryption.js';
import { KeysOptions } from './keys.options.js';
import { SIGNING_ALGORITHMS, type NewSigningKey, type SigningAlgorithm, type SigningKey } from './signing-key.js';
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
  /** The active key of each algorithm. */
  signers: Partial<Record<SigningAlgorithm, Signer>>;
  published: PublishedKey[];
  /** When this snapshot must be read again (a retired key's publication ends, or the cache ages). */
  until: number;
  loadedAt: number;
}

/** How long a process reuses a tenant's keys before reading them again. */
const CACHE_TTL_MS = 30_000;
const RELOAD_ON_UNKNOWN_KID_MS = 1_000;
const KEYS_TOPIC = 'keys';
const generateKeyPairAsync = promisify(generateKeyPair);

@Injectable()
export class KeysService {
  private readonly encryption: KeyEncryption;
  private readonly cache = new Map<string, TenantKeys>();
  /** Keys being added to a tenant by this process, so that concurrent requests add one. */
  private readonly adding = new Map<string, Promise<void>>();

  constructor(
    private readonly repository: SigningKeyRepository,
    options: KeysOptions,
    private readonly clock: Clock,
    @Optional() private readonly bus: InvalidationBus = new InProcessInvalidationBus(),
  ) {
    this.encryption = new KeyEncryption(options.keyEncryptionKey);
    // Another process rotated: sign with the new key here too, at once.
    bus.subscribe(KEYS_TOPIC, (tenantId) => (tenantId === null ? this.cache.clear() : this.cache.delete(tenantId)));
  }

  /** Creates the first signing keys of a new tenant: one active key per algorithm. */
  async createInitialKeys(tenantId: string): Promise<SigningKey[]> {
    const keys: SigningKey[] = [];
    for (const alg of SIGNING_ALGORITHMS) keys.push(await this.repository.insert(await this.generate(tenantId, alg)));
    await this.invalidate(tenantId);
    return keys;
  }

  /**
   * Makes fresh keys (one per algorithm) the signing keys. The old public keys stay in the JWKS until
   * `tokenLifetimeMs` from now, so every token they signed can still be verified until it expires.
   */
  async rotate(tenantId: string, tokenLifetimeMs: number): Promise<SigningKey[]> {
    const now = this.clock.date();
    const next = await Promise.all(SIGNING_ALGORITHMS.map((alg) => this.generate(tenantId, alg)));
    const keys = await this.repository.rotate(tenantId, next, now, new Date(now.getTime() + tokenLifetimeMs));
    await this.invalidate(tenantId);
    return keys;
  }

  /** All keys of the tenant, newest first (a tenant from before RS256 gets its RS256 key first). */
  async list(tenantId: string): Promise<SigningKey[]> {
    await this.ensureRsaKey(tenantId);
    return this.repository.list(tenantId);
  }

  /** The active key of this algorithm; ES256 (access tokens) unless asked otherwise. */
  async signer(tenantId: string, alg: SigningAlgorithm = 'ES256'): Promise<Signer> {
    let signer = (await this.load(tenantId)).signers[alg];
    // Only a tenant from before RS256 keys lacks one, and only an RS256 ID token needs it: the
    // access-token path never waits for an RSA key generation.
    if (!signer && alg === 'RS256' && (await this.ensureRsaKey(tenantId))) signer = (await this.load(tenantId)).signers[alg];
    if (!signer) throw new NotFoundError(`the tenant has no active ${alg} signing key`);
    return signer;
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
    if (!key && this.clock.now() - keys.loadedAt >= RELOAD_ON_UNKNOWN_KID_MS) {
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
    const now = this.clock.now();
    const hit = this.cache.get(tenantId);
    const fresh = hit !== undefined && hit.until > now ? hit : undefined;
    if (cacheLookedUp.active) cacheLookedUp.publish({ cache: 'keys', hit: fresh !== undefined });
    if (fresh) return fresh;
    const rows = await this.repository.list(tenantId);
    let until = now + CACHE_TTL_MS;
    const signers: TenantKeys['signers'] = {};
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
      if (row.status === 'active' && !signers[row.alg]) {
        const der = this.encryption.open(row.privateKeySealed, row.kid);
        signers[row.alg] = { kid: row.kid, alg: row.alg, privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) };
      }
    }
    const snapshot = { signers, published, until, loadedAt: now };
    this.cache.set(tenantId, snapshot);
    return snapshot;
  }

  /**
   * A tenant made before RS256 keys existed gets its RS256 key on first need (an RS256 ID token, the
   * admin key list). Returns whether one was added. Every process then reloads the tenant's keys, so
   * the new key is in every JWKS before the first token it signs leaves this process.
   */
  private async ensureRsaKey(tenantId: string): Promise<boolean> {
    if (!lacksRsaKey(await this.repository.list(tenantId))) return false;
    await this.addRsaKey(tenantId);
    await this.invalidate(tenantId);
    return true;
  }

  /**
   * Another process may add one at the same time: the database keeps one active key per algorithm,
   * and the loser reads the winner's key.
   */
  private addRsaKey(tenantId: string): Promise<void> {
    let pending = this.adding.get(tenantId);
    if (!pending) {
      pending = (async () => {
        const key = await this.generate(tenantId, 'RS256');
        try {
          await this.repository.insert(key);
        } catch (error) {
          if (lacksRsaKey(await this.repository.list(tenantId))) throw error;
        }
      })().finally(() => this.adding.delete(tenantId));
      this.adding.set(tenantId, pending);
    }
    return pending;
  }

  private async generate(tenantId: string, alg: SigningAlgorithm): Promise<NewSigningKey> {
    const { privateKey, publicKey } =
      alg === 'RS256'
        ? await generateKeyPairAsync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
        : await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
    const kid = randomBytes(12).toString('base64url');
    const jwk = publicKey.export({ format: 'jwk' });
    const publicJwk: JsonWebKey = alg === 'RS256' ? { kty: jwk.kty, n: jwk.n, e: jwk.e } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    return {
      tenantId,
      kid,
      alg,
      publicJwk,
      privateKeySealed: this.encryption.seal(der, kid),
      status: 'active',
      retiredAt: null,
      publishUntil: null,
    };
  }
}

/** A provisioned tenant (it has an active ES256 key) without an active RS256 key. */
function lacksRsaKey(rows: readonly SigningKey[]): boolean {
  const active = (alg: SigningAlgorithm) => rows.some((r) => r.status === 'active' && r.alg === alg);
  return active('ES256') && !active('RS256');
}
