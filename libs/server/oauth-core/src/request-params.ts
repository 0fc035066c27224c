import { InvalidRequestError } from './oauth-error.js';

export type RawParams = Record<string, unknown>;

/** Longest value we accept for any protocol parameter; longer values are not legitimate OAuth input. */
export const MAX_PARAM_LENGTH = 4096;

/**
 * Reads OAuth request parameters from a parsed form or query. RFC 6749 section 3.1/3.2: parameters
 * sent without a value are treated as omitted, and request parameters MUST NOT be included more than
 * once. Only the names a handler declares are kept; anything else is dropped.
 */
export function readParams<K extends string>(raw: unknown, names: readonly K[]): Partial<Record<K, string>> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidRequestError('request parameters are malformed');
  const source = raw as RawParams;
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const value = source[name];
    if (Array.isArray(value)) throw new InvalidRequestError(`parameter ${name} is repeated`);
    if (typeof value !== 'string') throw new InvalidRequestError(`parameter ${name} is malformed`);
    if (value === '') continue;
    if (value.length > MAX_PARAM_LENGTH) throw new InvalidRequestError(`parameter ${name} is too long`);
    if (value.includes('\u0000')) throw new InvalidRequestError(`parameter ${name} contains a NUL byte`);
    out[name] = value;
  }
  return out;
}

/** Rejects any repeated parameter, declared or not (RFC 6749 section 3.2). */
export function rejectRepeated(raw: unknown): void {
  if (raw === null || typeof raw !== 'object') return;
  for (const [name, value] of Object.entries(raw as RawParams)) {
    if (Array.isArray(value)) throw new InvalidRequestError(`parameter ${name.slice(0, 64)} is repeated`);
  }
}
