import { randomBytes, randomUUID } from 'node:crypto';
import type { NewClient } from '@tessera/clients';
import type { NewSigningKey } from '@tessera/keys';
import { DEFAULT_TENANT_SETTINGS } from '@tessera/tenancy';
import type { NewRefreshFamily } from '@tessera/tokens';
import type { NewUser } from '@tessera/users';

/** Row builders for repository specs: valid by default, every field overridable. */

export function newTenant(slug: string, displayName = `Tenant ${slug}`) {
  return { slug, displayName, settings: structuredClone(DEFAULT_TENANT_SETTINGS) };
}

export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function newClient(tenantId: string, clientId: string, overrides: Partial<NewClient> = {}): NewClient {
  return {
    tenantId,
    clientId,
    name: `Client ${clientId}`,
    type: 'confidential',
    secretHash: randomBytes(32),
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['read'],
    firstParty: false,
    builtIn: false,
    accessTokenTtl: 3600,
    refreshTokenTtl: 86_400,
    refreshTokenIdleTtl: 3600,
    idTokenSignedResponseAlg: 'RS256',
    ...overrides,
  };
}

export function newUser(tenantId: string, username: string, overrides: Partial<NewUser> = {}): NewUser {
  return {
    tenantId,
    username,
    email: `${username.toLowerCase()}@example.test`,
    emailVerified: false,
    name: username,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$not-a-real-hash',
    disabled: false,
    ...overrides,
  };
}

/** A signing-key row; the key material is opaque bytes (the repository never interprets it). */
export function newSigningKey(tenantId: string, overrides: Partial<NewSigningKey> = {}): NewSigningKey {
  return {
    tenantId,
    kid: randomBytes(12).toString('base64url'),
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: randomBytes(32).toString('base64url'), y: randomBytes(32).toString('base64url') },
    privateKeySealed: randomBytes(64),
    status: 'active',
    retiredAt: null,
    publishUntil: null,
    ...overrides,
  };
}

/** Follows `next` cursors to the end and returns every page. */
export async function allPages<T>(
  fetch: (page: { limit: number; cursor?: string }) => Promise<{ items: T[]; next: string | null }>,
  limit: number,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await fetch({ limit, cursor });
    pages.push(page.items);
    if (page.next === null) return pages;
    cursor = page.next;
  }
  throw new Error('pagination did not end within 100 pages');
}

/** A refresh family issued now, living an hour; `lastUsedAt` and `expiresAt` are overridable. */
export function newRefreshFamily(tenantId: string, clientRef: string, userId: string | null, overrides: Partial<NewRefreshFamily> = {}): NewRefreshFamily {
  const now = Date.now();
  return {
    id: randomUUID(),
    tenantId,
    clientRef,
    userId,
    scopes: ['openid', 'offline_access'],
    authTime: null,
    lastUsedAt: new Date(now),
    expiresAt: new Date(now + 3_600_000),
    ...overrides,
  };
}

/** What the repository stores of a refresh token: 32 opaque bytes (a SHA-256 in production). */
export function newTokenHash(): Buffer {
  return randomBytes(32);
}
