import type { LoginProtectionOverrides, RateLimitOverrides } from './protection-settings.js';

export interface TenantSettings {
  /** Default `aud` of access tokens; `${issuer}/api` when unset. */
  audience?: string;
  branding: { logoUrl: string | null; primaryColor: string | null };
  /** RFC 9700 section 2.4: the password grant MUST NOT be used; kept only behind this switch. */
  passwordGrantEnabled: boolean;
  /** RFC 9700 section 2.1.2: the implicit grant SHOULD NOT be used; kept only behind this switch. */
  implicitGrantEnabled: boolean;
  /** Only the limits an admin set; effectiveRateLimits() adds the defaults. */
  rateLimits?: RateLimitOverrides;
  /** Only what an admin set; effectiveLoginProtection() adds the defaults. */
  loginProtection?: LoginProtectionOverrides;
}

export interface Tenant {
  id: string;
  slug: string;
  displayName: string;
  settings: TenantSettings;
  createdAt: Date;
  updatedAt: Date;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  branding: { logoUrl: null, primaryColor: null },
  passwordGrantEnabled: false,
  implicitGrantEnabled: false,
};

/** The tenant that holds the admin users, the admin API's clients and the `dashboard` client. */
export const ADMIN_TENANT_SLUG = 'admin';

/**
 * The scope of platform admins: every tenant, every right in the admin API. Granted only to clients
 * configured with it and to users who hold role `owner` in tenant `admin` (GrantableScopesPolicy).
 */
export const PLATFORM_ADMIN_SCOPE = 'platform:admin';
