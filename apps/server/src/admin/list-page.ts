import { ValidationFailedError, type Page, type PageQuery } from '@tessera/contracts';

/**
 * Pages of short lists the server holds in memory (signing keys, the built-in scopes), answered in
 * the shape and with the `limit`/`cursor` semantics of every other admin list (CONTRACT.md). The
 * cursor is opaque to clients: the key of the last item shown.
 */
export function listPage<T>(items: readonly T[], keyOf: (item: T) => string, page: PageQuery): Page<T> {
  const start = startAfter(items, keyOf, page.cursor);
  const shown = items.slice(start, start + page.limit);
  const more = start + page.limit < items.length;
  return { items: shown, next: more ? encodeListCursor(keyOf(shown[shown.length - 1]!)) : null };
}

/** Where the page after `cursor` starts; a cursor that names no item of the list is a 400. */
export function startAfter<T>(items: readonly T[], keyOf: (item: T) => string, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const after = decodeListCursor(cursor);
  const index = after === undefined ? -1 : items.findIndex((item) => keyOf(item) === after);
  if (index < 0) throw new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  return index + 1;
}

export function encodeListCursor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

/** The key a cursor of `encodeListCursor` carries; undefined for any other text (e.g. a database cursor). */
export function decodeListCursor(cursor: string): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const after = (value as { after?: unknown }).after;
      if (typeof after === 'string') return after;
    }
  } catch {
    // not one of ours
  }
  return undefined;
}
