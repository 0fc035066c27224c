import { z } from 'zod';
import { pageQuerySchema } from './pagination.schema.js';
import { withoutControlCharacters } from './text.schema.js';

const clientId = withoutControlCharacters(z.string().min(1).max(200));

/** `GET /tenants/{slug}/tokens`: live grants, filtered by the public client id and by user id. */
export const grantQuerySchema = pageQuerySchema.extend({
  clientId: clientId.optional(),
  userId: z.string().uuid().optional(),
});
export type GrantQuery = z.infer<typeof grantQuerySchema>;

/** A live grant: a refresh-token family followed through its rotations. */
export interface GrantView {
  /** The grant id (`gid` claim of its access tokens); `{grantId}` revokes it. */
  id: string;
  clientId: string;
  userId: string | null;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

/** `POST /tenants/{slug}/tokens/revoke`: exactly one of these. */
export const revokeTokensSchema = z.union([
  z.object({ jti: withoutControlCharacters(z.string().min(1).max(200)) }).strict(),
  z.object({ clientId }).strict(),
  z.object({ userId: z.string().uuid() }).strict(),
  z.object({ grantId: z.string().uuid() }).strict(),
]);
export type RevokeTokensInput = z.infer<typeof revokeTokensSchema>;
