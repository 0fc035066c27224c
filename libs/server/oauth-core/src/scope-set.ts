import { InvalidRequestError, InvalidScopeError } from './oauth-error.js';

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space-delimited.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** Parses a `scope` parameter into a de-duplicated, order-preserving list. */
export function parseScope(raw: string | undefined): string[] {
  if (raw === undefined || raw === '') return [];
  const tokens = raw.split(' ');
  for (const token of tokens) {
    if (!isScopeToken(token)) throw new InvalidScopeError('scope contains a malformed scope token');
  }
  return [...new Set(tokens)];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/**
 * RFC 6749 section 3.3: the server may fall back to a default when no scope is requested; a
 * requested scope the client may not have fails the whole request rather than being silently cut.
 */
export function checkScope(requested: readonly string[], allowed: readonly string[], fallback: readonly string[]): string[] {
  if (requested.length === 0) return [...fallback];
  const allowedSet = new Set(allowed);
  const refused = requested.filter((s) => !allowedSet.has(s));
  if (refused.length > 0) {
    throw new InvalidScopeError(`scope not allowed for this client: ${refused.join(' ')}`);
  }
  return [...requested];
}

/** Guard used when a scope parameter arrived in an unexpected shape (e.g. repeated). */
export function requireSingle(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError(`${name} must be given once, as a string`);
  return value;
}
