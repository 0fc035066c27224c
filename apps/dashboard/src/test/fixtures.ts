import type { MeView, TenantRole, TenantView } from '../api/types';

/** Tenant `acme` as `GET /tenants/acme` answers for a tenant that set nothing: every setting at its default. */
export const acmeTenant: TenantView = {
  slug: 'acme',
  displayName: 'Acme',
  issuer: 'https://id.example/t/acme',
  settings: {
    audience: 'https://id.example/t/acme/api',
    branding: { logoUrl: null, primaryColor: null },
    passwordGrantEnabled: false,
    implicitGrantEnabled: false,
    rateLimits: { tokenPerClient: null, loginPerIp: { max: 300, windowSeconds: 60 }, loginPerUsername: { max: 30, windowSeconds: 60 }, adminApiPerToken: null },
    loginProtection: {
      delayAfterFailures: 3,
      maxDelayMs: 5000,
      userLockAfterFailures: 10,
      ipLockAfterFailures: 50,
      failureWindowSeconds: 900,
      lockSeconds: 900,
      maxUserLocksPerDay: 3,
    },
  },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** `GET /me` of user u1 with `role` in tenant acme (none: null). */
export const meIn = (role: TenantRole | null, platformAdmin = false): MeView => ({
  kind: 'user',
  subject: 'u1',
  clientId: 'dashboard',
  platformAdmin,
  memberships: role ? [{ tenant: 'acme', role }] : [],
});
