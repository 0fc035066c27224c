import * as fc from 'fast-check';

/**
 * fast-check generators of hostile HTTP input for the fuzz suites: strings of every kind (unicode,
 * binary, control characters, lone surrogates, SQL, prototype keys, over-long), form bodies with
 * repeated and broken parameters in raw bytes, header values, content types and JSON values.
 */

/** Hand-picked nasties fast-check would rarely produce by chance. */
export const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '\uD800',
  'a\uDFFFb',
  '\uFEFF',
  '\u202Eabc',
  '🦄',
  'Zoë',
  "' OR 1=1 --",
  '"; DROP TABLE tenants; --',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '\r\nX-Injected: 1',
  '\n',
  '../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'data:text/html,x',
  'https://evil.example/cb',
  'http://127.0.0.1:1/cb',
  '[]',
  '{}',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e999',
  '99999999999999999999',
  'true',
  'x'.repeat(300),
  'x'.repeat(4096),
  'x'.repeat(4097),
  'y'.repeat(20_000),
];

/** Any string: printable, unicode graphemes, any code point, control characters, or a special one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 500, maxLength: 1500 }) },
);

/** A value for a parameter: mostly one of its valid values (to get deep into the code), else anything. */
export function paramValue(valid: readonly string[]): fc.Arbitrary<string> {
  return valid.length === 0 ? hostileString : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: hostileString });
}

export type Pair = [string, string];

/**
 * Parameters: names the endpoint knows (each with its valid values) and unknown names, some
 * repeated, in random order.
 */
export function paramPairs(known: Record<string, readonly string[]>): fc.Arbitrary<Pair[]> {
  const names = Object.keys(known);
  const knownPair = fc.constantFrom(...names).chain((name) => paramValue(known[name]!).map((value): Pair => [name, value]));
  const unknownPair = fc.tuple(hostileString, hostileString);
  return fc
    .tuple(
      // Mostly one of each known parameter (a nearly valid request), in any order...
      fc.shuffledSubarray(names).chain((chosen) => fc.tuple(...chosen.map((name) => paramValue(known[name]!).map((value): Pair => [name, value])))),
      // ...plus a few extra, known (so repeated) or unknown.
      fc.array(fc.oneof({ weight: 2, arbitrary: knownPair }, { weight: 1, arbitrary: unknownPair }), { maxLength: 3 }),
    )
    .map(([base, extra]) => [...(base as Pair[]), ...extra]);
}

/** Percent-encodes the UTF-8 bytes of a string (encodeURIComponent throws on lone surrogates). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** How a form is put on the wire: properly, raw UTF-8, raw Latin-1, or with broken escapes. */
export type FormEncoding = 'standard' | 'raw-utf8' | 'raw-latin1' | 'broken-escapes';
export const formEncoding: fc.Arbitrary<FormEncoding> = fc.constantFrom('standard', 'standard', 'standard', 'raw-utf8', 'raw-latin1', 'broken-escapes');

export function encodeForm(pairs: readonly Pair[], encoding: FormEncoding): Buffer {
  switch (encoding) {
    case 'standard':
      return Buffer.from(pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'), 'latin1');
    case 'raw-utf8':
      return Buffer.from(pairs.map(([k, v]) => `${k}=${v}`).join('&'), 'utf8');
    case 'raw-latin1':
      return Buffer.from(pairs.map(([k, v]) => `${k}=${v}`).join('&'), 'latin1');
    case 'broken-escapes':
      return Buffer.from(pairs.map(([k, v]) => `${percentEncode(k)}%=${percentEncode(v)}%E0%A4%A`).join('&'), 'latin1');
  }
}

/** A query string of the same pairs (the authorization endpoint's GET). */
export function encodeQuery(pairs: readonly Pair[], encoding: FormEncoding): string {
  if (encoding === 'standard') return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  if (encoding === 'broken-escapes') return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}%E0%A4%A%`).join('&');
  // Raw: what fetch's URL parser leaves of it (it escapes spaces and non-ASCII itself).
  return pairs.map(([k, v]) => `${k.replace(/[#&]/g, '')}=${v.replace(/[#&]/g, '')}`).join('&');
}

/** Characters fetch lets through in a header value (no NUL, CR, LF): tab, printable ASCII, Latin-1. */
const headerChar = fc.oneof(
  fc.constant('\t'),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc.string({ unit: headerChar, minLength: 1000, maxLength: 3000 }),
);

/** Content types a client might send, right, wrong or broken. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/x-www-form-urlencoded') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=latin1',
      'application/x-www-form-urlencoded; charset=utf-16',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/x-www-form-urlencoded;;;',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'text/html',
      'application/xml',
      'multipart/form-data',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      '*/*',
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

/** JSON values of any shape, including prototype keys and deep nesting. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5, max: 200 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown) },
);

/** A field's value: of its own type most of the time, anything else some of the time. */
export function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: hostileString });
}

/** An object with some of these fields and perhaps a few unknown ones. */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(hostileString, anyJson, { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}
