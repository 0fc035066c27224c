import { z } from 'zod';
import { withoutControlCharacters } from './text.schema.js';

const username = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters');
const displayName = withoutControlCharacters(z.string().trim().max(200));
const password = z.string().min(8, 'must be at least 8 characters').max(1024);
const email = z.string().trim().toLowerCase().max(320).email('must be an email address');

export const createUserSchema = z
  .object({
    username,
    email: email.optional(),
    emailVerified: z.boolean().default(false),
    name: displayName.optional(),
    password,
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    email: email.nullable(),
    emailVerified: z.boolean(),
    name: displayName.nullable(),
    password,
    disabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export interface UserView {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}
