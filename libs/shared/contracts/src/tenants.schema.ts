import { z } from 'zod';
import { TENANT_SLUG_PATTERN } from './oauth.js';
import { withoutControlCharacters } from './text.schema.js';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const httpsUrl = withoutControlCharacters(z.string().max(2048))
  .url('must be an absolute URL')
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL');

const displayName = withoutControlCharacters(z.string().trim().min(1).max(200));

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
  };
  createdAt: string;
  updatedAt: string;
}
