import { z } from 'zod';
import { SCOPE_TOKEN_PATTERN } from './oauth.js';
import { withoutBinaryCharacters } from './text.schema.js';

export const createScopeSchema = z
  .object({
    name: z.string().min(1).max(128).regex(SCOPE_TOKEN_PATTERN, 'must be a valid scope token (RFC 6749 section 3.3)'),
    description: withoutBinaryCharacters(z.string().trim().max(500)).default(''),
  })
  .strict();
export type CreateScopeInput = z.infer<typeof createScopeSchema>;

export interface ScopeView {
  name: string;
  description: string;
  builtIn: boolean;
  createdAt: string | null;
}
