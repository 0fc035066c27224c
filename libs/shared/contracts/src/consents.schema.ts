import { z } from 'zod';
import { pageQuerySchema } from './pagination.schema.js';
import { withoutControlCharacters } from './text.schema.js';

/** `GET /tenants/{slug}/consents`: filter by user id and by the public client id. */
export const consentQuerySchema = pageQuerySchema.extend({
  userId: z.string().uuid().optional(),
  clientId: withoutControlCharacters(z.string().min(1).max(200)).optional(),
});
export type ConsentQuery = z.infer<typeof consentQuerySchema>;

/** A user's remembered "allow" for one client, as the admin API shows it. */
export interface ConsentView {
  id: string;
  userId: string;
  clientId: string;
  clientName: string;
  scopes: string[];
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** A scope with the plain words the consent page showed for it. */
export interface DescribedScopeView {
  name: string;
  description: string;
}

/** One application the signed-in user allowed, as the end-user account API shows it. */
export interface AccountConsentView {
  id: string;
  clientId: string;
  clientName: string;
  scopes: DescribedScopeView[];
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}
