import { ConflictError, hasControlCharacters, isUuid, ValidationFailedError, type Page } from '@tessera/contracts';
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
    if (!isUuid(id)) throw invalidCursor();
    qb.andWhere(`(${alias}.created_at, ${alias}.id) > (:cursorCreatedAt, :cursorId)`, { cursorCreatedAt: createdAt, cursorId: id });
  }
  // created_at holds microseconds, a JS Date only milliseconds: a cursor built from the Date would
  // sort before its own row, so that row (or, for rows sharing one transaction's now(), the whole
  // page) would come back on the next page. The cursor carries the exact value, read as UTC text.
  const { entities, raw } = await qb
    .addSelect(`to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'keyset_created_at')
    .orderBy(`${alias}.created_at`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .take(page.limit + 1)
    .getRawAndEntities<Record<string, unknown>>();
  const more = entities.length > page.limit;
  const items = more ? entities.slice(0, page.limit) : entities;
  const last = items[items.length - 1];
  // Matched by id, not by position: a joined query may return more raw rows than entities.
  const lastRaw = last ? raw.find((r) => r[`${alias}_id`] === last.id) : undefined;
  const lastCreatedAt = lastRaw?.['keyset_created_at'] as string | undefined;
  return { items: items.map(map), next: more && last && lastCreatedAt ? encodeCursor(lastCreatedAt, last.id) : null };
}

/** `createdAt` as a Date, or as ISO 8601 text when it has more than millisecond precision. */
export function encodeCursor(createdAt: Date | string, id: string): string {
  const at = typeof createdAt === 'string' ? createdAt : createdAt.toISOString();
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** ISO 8601 UTC as this API writes it: a four-digit year PostgreSQL accepts, up to microseconds. */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/** Decodes a cursor this API issued; anything else (forged, truncated, hostile) is a 400, never a query. */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      CURSOR_TIME.test(value[0]) &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      value[1].length <= 256 &&
      !hasControlCharacters(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

function invalidCursor(): ValidationFailedError {
  return new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
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
