import { ObservedEvent } from './observed-event.js';

// What the server tells its operators about, beside the HTTP requests themselves (counted at the
// Fastify level). Each event names its tenant by slug; the metrics decide whether to use it as a
// label (METRICS_TENANT_LABEL). docs/reference/metrics.md lists the metrics built on them.

export interface TenantRef {
  slug: string;
}

/** A token response was issued (access token, with whatever refresh and ID tokens came with it). */
export const tokenIssued = new ObservedEvent<{ tenant: TenantRef; grantType: string }>('tessera.token.issued');

/** An RFC 7662 introspection answered (active or not). */
export const tokenIntrospected = new ObservedEvent<{ tenant: TenantRef; active: boolean }>('tessera.token.introspected');

/** An RFC 7009 revocation request answered; `tokenType` is what it revoked, `none` for an unknown token. */
export const tokenRevoked = new ObservedEvent<{ tenant: TenantRef; tokenType: 'access_token' | 'refresh_token' | 'none' }>(
  'tessera.token.revoked',
);

export type SignInOutcome = 'success' | 'failure' | 'locked';

/** A password sign-in attempt: right password, wrong one, or refused because the user or IP is locked. */
export const signInAttempted = new ObservedEvent<{ tenant: TenantRef; outcome: SignInOutcome; via: string }>('tessera.sign_in.attempted');

/** A failure locked a username or an IP address (once per lock). */
export const signInLocked = new ObservedEvent<{ tenant: TenantRef; scope: 'user' | 'ip' }>('tessera.sign_in.locked');

/** A request over one of the tenant's rate limits was refused. */
export const rateLimitRejected = new ObservedEvent<{ tenant: TenantRef; limit: string }>('tessera.rate_limit.rejected');

/** A look-up in one of the in-process caches (clients, tenants, signing keys). */
export const cacheLookedUp = new ObservedEvent<{ cache: string; hit: boolean }>('tessera.cache.looked_up');

export type StoreName = 'postgresql' | 'redis';

/** One command to a store, with how long it took and whether it failed. */
export const storeOperationCompleted = new ObservedEvent<{ store: StoreName; operation: string; seconds: number; ok: boolean }>(
  'tessera.store.operation',
);
