import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** Every list of the admin and account APIs answers this shape. */
export interface Page<T> {
  items: T[];
  next: string | null;
}
