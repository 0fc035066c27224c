import { z } from 'zod';
import { TENANT_SLUG_PATTERN } from './oauth.js';
import { withoutControlCharacters } from './text.schema.js';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const httpsUrl = withoutControlCharacters(z.string().max(2048))
  .url('must be an absolute URL')
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

const displayName = withoutControlCharacters(z.string().trim().min(1).max(200));

/** A fixed-window limit; null turns the limit off. */
const rateLimit = z
  .object({
    max: z.number().int().min(1).max(100_000_000),
    windowSeconds: z.number().int().min(1).max(86_400),
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

export const loginProtectionSchema = z
  .object({
    delayAfterFailures: z.number().int().min(1).max(10_000).optional(),
    maxDelayMs: z.number().int().min(0).max(30_000).optional(),
    userLockAfterFailures: z.number().int().min(1).max(100_000).optional(),
    ipLockAfterFailures: z.number().int().min(1).max(1_000_000).optional(),
    failureWindowSeconds: z.number().int().min(1).max(86_400).optional(),
    lockSeconds: z.number().int().min(1).max(86_400).optional(),
    maxUserLocksPerDay: z.number().int().min(0).max(1_000).optional(),
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
    rateLimits: Record<'tokenPerClient' | 'loginPerIp' | 'loginPerUsername' | 'adminApiPerToken', RateLimitView | null>;
    loginProtection: {
      delayAfterFailures: number;
      maxDelayMs: number;
      userLockAfterFailures: number;
      ipLockAfterFailures: number;
      failureWindowSeconds: number;
      lockSeconds: number;
      maxUserLocksPerDay: number;
    };
  };
  createdAt: string;
  updatedAt: string;
}

export interface RateLimitView {
  max: number;
  windowSeconds: number;
}
