import type { AuditEvent } from '@tessera/audit';
import type { Client } from '@tessera/clients';
import type { ConsentWithClient } from '@tessera/consents';
import type {
  AuditEventView,
  ClientView,
  ConsentView,
  GrantView,
  MemberView,
  ScopeView,
  SigningKeyView,
  TenantView,
  TokenIssuanceView,
  UserView,
} from '@tessera/contracts';
import type { SigningKey } from '@tessera/keys';
import { audienceOf, effectiveLoginProtection, effectiveRateLimits, issuerOf, type Scope, type Tenant, type TenantMember } from '@tessera/tenancy';
import type { RefreshFamily, TokenIssuanceGranularity, TokenIssuanceTotal } from '@tessera/tokens';
import type { User } from '@tessera/users';

/** Domain records to the admin API's wire shapes: never a secret hash or a private key. */
export function tenantView(publicUrl: string, t: Tenant): TenantView {
  return {
    slug: t.slug,
    displayName: t.displayName,
    issuer: issuerOf(publicUrl, t.slug),
    settings: {
      audience: audienceOf(publicUrl, t),
      branding: t.settings.branding,
      passwordGrantEnabled: t.settings.passwordGrantEnabled,
      implicitGrantEnabled: t.settings.implicitGrantEnabled,
      rateLimits: effectiveRateLimits(t.settings.rateLimits),
      loginProtection: effectiveLoginProtection(t.settings.loginProtection),
    },
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function clientView(c: Client): ClientView {
  return {
    clientId: c.clientId,
    name: c.name,
    type: c.type,
    redirectUris: c.redirectUris,
    postLogoutRedirectUris: c.postLogoutRedirectUris,
    grantTypes: c.grantTypes,
    scopes: c.scopes,
    firstParty: c.firstParty,
    builtIn: c.builtIn,
    accessTokenTtl: c.accessTokenTtl,
    refreshTokenTtl: c.refreshTokenTtl,
    refreshTokenIdleTtl: c.refreshTokenIdleTtl,
    idTokenSignedResponseAlg: c.idTokenSignedResponseAlg,
    secretRotatedAt: c.secretRotatedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function scopeView(s: Scope): ScopeView {
  return { name: s.name, description: s.description, builtIn: false, createdAt: s.createdAt.toISOString() };
}

export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    emailVerified: u.emailVerified,
    name: u.name,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

export function keyView(k: SigningKey): SigningKeyView {
  return {
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    createdAt: k.createdAt.toISOString(),
    retiredAt: k.retiredAt?.toISOString() ?? null,
    publishedUntil: k.publishUntil?.toISOString() ?? null,
  };
}

export function auditEventView(e: AuditEvent): AuditEventView {
  return {
    id: e.id,
    action: e.action,
    actor: e.actor,
    target: e.target,
    ip: e.ip,
    details: e.details,
    createdAt: e.createdAt.toISOString(),
  };
}

export function consentView(c: ConsentWithClient): ConsentView {
  return {
    id: c.id,
    userId: c.userId,
    clientId: c.clientId,
    clientName: c.clientName,
    scopes: c.scopes,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

/** A refresh family as a live grant; `clientId` is the public id of the client row it points at. */
export function grantView(f: RefreshFamily, clientId: string): GrantView {
  return {
    id: f.id,
    clientId,
    userId: f.userId,
    scopes: f.scopes,
    createdAt: f.createdAt.toISOString(),
    lastUsedAt: f.lastUsedAt.toISOString(),
    expiresAt: f.expiresAt.toISOString(),
  };
}

export function memberView(m: TenantMember): MemberView {
  return { userId: m.userId, username: m.username, email: m.email, role: m.role, createdAt: m.createdAt.toISOString() };
}

export function tokenIssuanceView(t: TokenIssuanceTotal, granularity: TokenIssuanceGranularity): TokenIssuanceView {
  return granularity === 'hour'
    ? { day: t.period.slice(0, 10), hour: t.period, grantType: t.grantType, count: t.count }
    : { day: t.period, grantType: t.grantType, count: t.count };
}
