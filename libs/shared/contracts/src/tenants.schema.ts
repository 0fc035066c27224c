import { z } from 'zod';
import { TENANT_SLUG_PATTERN } from './oauth.js';
import { withoutControlCharacters } from './text.schema.js';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const httpsUrl = withoutControlCharacters(z.string().max(2048))
  .url('must be an absolute URL')
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

const displayName = withoutControlCharacters(z.string().trim().min(1).max(200));

/** The rate limits a tenant may set (`settings.rateLimits`). */
export const RATE_LIMIT_NAMES = ['tokenPerClient', 'loginPerIp', 'loginPerUsername', 'adminApiPerToken'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

/** Allowed values of a rate limit's parts; the dashboard's form checks the same bounds. */
export const RATE_LIMIT_BOUNDS = {
  max: { min: 1, max: 100_000_000 },
  windowSeconds: { min: 1, max: 86_400 },
} as const;

/** Allowed values of `settings.loginProtection`; the dashboard's form checks the same bounds. */
export const LOGIN_PROTECTION_BOUNDS = {
  delayAfterFailures: { min: 1, max: 10_000 },
  maxDelayMs: { min: 0, max: 30_000 },
  userLockAfterFailures: { min: 1, max: 100_000 },
  ipLockAfterFailures: { min: 1, max: 1_000_000 },
  failureWindowSeconds: { min: 1, max: 86_400 },
  lockSeconds: { min: 1, max: 86_400 },
  maxUserLocksPerDay: { min: 0, max: 1_000 },
} as const;
export type LoginProtectionName = keyof typeof LOGIN_PROTECTION_BOUNDS;

const bounded = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);

/** A fixed-window limit; null turns the limit off. */
const rateLimit = z
  .object({
    max: bounded(RATE_LIMIT_BOUNDS.max),
    windowSeconds: bounded(RATE_LIMIT_BOUNDS.windowSeconds),
  })
  .strict()
  .nullable();

export const rateLimitsSchema = z
  .object({
    tokenPerClient: rateLimit.optional(),
    loginPerIp: rateLimit.optional(),
    loginPerUsername: rateLimit.optional(),
    adminApiPerToken: rateLimit.optional(),
  })
  .strict();

const protection = (name: LoginProtectionName) => bounded(LOGIN_PROTECTION_BOUNDS[name]).optional();

export const loginProtectionSchema = z
  .object({
    delayAfterFailures: protection('delayAfterFailures'),
    maxDelayMs: protection('maxDelayMs'),
    userLockAfterFailures: protection('userLockAfterFailures'),
    ipLockAfterFailures: protection('ipLockAfterFailures'),
    failureWindowSeconds: protection('failureWindowSeconds'),
    lockSeconds: protection('lockSeconds'),
    maxUserLocksPerDay: protection('maxUserLocksPerDay'),
  })
  .strict();

export const tenantSettingsSchema = z
  .object({
    audience: httpsUrl.optional(),
    branding: z
      .object({
        logoUrl: httpsUrl.nullable().optional(),
        primaryColor: colour.nullable().optional(),
      })
      .strict()
      .optional(),
    passwordGrantEnabled: z.boolean().optional(),
    implicitGrantEnabled: z.boolean().optional(),
    rateLimits: rateLimitsSchema.optional(),
    loginProtection: loginProtectionSchema.optional(),
  })
  .strict();

export const createTenantSchema = z
  .object({
    slug: z
      .string()
      .regex(TENANT_SLUG_PATTERN, 'must be 1 to 32 lowercase letters, digits or inner hyphens'),
    displayName,
    settings: tenantSettingsSchema.optional(),
  })
  .strict();
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z
  .object({
    displayName: displayName.optional(),
    settings: tenantSettingsSchema.optional(),
  })
  .strict();
export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export interface TenantView {
  slug: string;
  displayName: string;
  issuer: string;
  settings: {
    audience: string;
    branding: { logoUrl: string | null; primaryColor: string | null };
    passwordGrantEnabled: boolean;
    implicitGrantEnabled: boolean;
    /** Effective limits (defaults filled in); null: off. */
    rateLimits: Record<RateLimitName, RateLimitView | null>;
    loginProtection: Record<LoginProtectionName, number>;
  };
  createdAt: string;
  updatedAt: string;
}

export interface RateLimitView {
  max: number;
  windowSeconds: number;
}
