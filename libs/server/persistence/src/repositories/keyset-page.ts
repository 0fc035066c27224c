import { ConflictError, ValidationFailedError, type Page } from '@tessera/contracts';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Keyset pagination over (created_at, id): stable under inserts, no OFFSET scans. The cursor is
 * opaque to clients (base64url of the last row's key).
 */
export async function keysetPage<E extends ObjectLiteral & { createdAt: Date; id: string }, T>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  page: { limit: number; cursor?: string },
  map: (row: E) => T,
): Promise<Page<T>> {
  if (page.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(page.cursor);
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:cursorCreatedAt, :cursorId)`, { cursorCreatedAt: createdAt, cursorId: id });
  }
  const rows = await qb
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(page.limit + 1)
    .getMany();
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), next: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      value[1].length <= 256
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
}

/** Turns a unique-constraint violation (SQLSTATE 23505) into a ConflictError; rethrows the rest. */
export function conflictOnDuplicate(error: unknown, detail: string): never {
  if (error && typeof error === 'object' && 'driverError' in error) {
    const driver = (error as { driverError?: { code?: string } }).driverError;
    if (driver?.code === '23505') throw new ConflictError(detail);
  }
  if (error && typeof error === 'object' && (error as { code?: string }).code === '23505') throw new ConflictError(detail);
  throw error;
}
