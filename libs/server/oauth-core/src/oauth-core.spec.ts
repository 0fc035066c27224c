import { createHash } from 'node:crypto';
import {
  InvalidClientError,
  InvalidRequestError,
  InvalidScopeError,
  checkScope,
  matchRedirectUri,
  parseScope,
  readClientCredentials,
  readParams,
  verifyPkceS256,
} from './index.js';

describe('readParams', () => {
  it('keeps only declared parameters and treats empty values as omitted', () => {
    expect(readParams({ grant_type: 'x', scope: '', other: 'y' }, ['grant_type', 'scope'])).toEqual({ grant_type: 'x' });
  });
  it('rejects a repeated parameter', () => {
    expect(() => readParams({ scope: ['a', 'b'] }, ['scope'])).toThrow(InvalidRequestError);
  });
  it('rejects NUL bytes and oversized values', () => {
    expect(() => readParams({ scope: 'a\u0000b' }, ['scope'])).toThrow(InvalidRequestError);
    expect(() => readParams({ scope: 'a'.repeat(100_000) }, ['scope'])).toThrow(InvalidRequestError);
  });
  it('rejects a body that is not an object', () => {
    expect(() => readParams('grant_type=x', ['grant_type'])).toThrow(InvalidRequestError);
  });
});

describe('scopes', () => {
  it('parses, de-duplicates and refuses malformed tokens', () => {
    expect(parseScope('a b a')).toEqual(['a', 'b']);
    expect(() => parseScope('a  b')).toThrow(InvalidScopeError);
    expect(() => parseScope('a"b')).toThrow(InvalidScopeError);
  });
  it('refuses a scope the client may not have and falls back when none is asked', () => {
    expect(() => checkScope(['a', 'x'], ['a', 'b'], [])).toThrow(InvalidScopeError);
    expect(checkScope([], ['a', 'b'], ['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('readClientCredentials', () => {
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  it('decodes form-encoded Basic credentials (RFC 6749 section 2.3.1)', () => {
    expect(readClientCredentials(basic('a:b', 's%x'), {})).toEqual({
      method: 'client_secret_basic',
      clientId: 'a:b',
      clientSecret: 's%x',
    });
  });
  it('refuses two authentication methods at once', () => {
    expect(() => readClientCredentials(basic('a', 's'), { client_secret: 's' })).toThrow(InvalidRequestError);
  });
  it('reads client_secret_post and none', () => {
    expect(readClientCredentials(undefined, { client_id: 'a', client_secret: 's' })?.method).toBe('client_secret_post');
    expect(readClientCredentials(undefined, { client_id: 'a' })?.method).toBe('none');
    expect(readClientCredentials(undefined, {})).toBeNull();
  });
  it('answers invalid_client for a malformed Basic header', () => {
    expect(() => readClientCredentials('Basic !!!', {})).toThrow(InvalidClientError);
    expect(() => readClientCredentials('Bearer abc', {})).toThrow(InvalidClientError);
  });
  it('answers invalid_client for Basic credentials with a NUL byte or an overlong value', () => {
    expect(() => readClientCredentials(basic('a\u0000b', 's'), {})).toThrow(InvalidClientError);
    expect(() => readClientCredentials(basic('a', 's\u0000'), {})).toThrow(InvalidClientError);
    expect(() => readClientCredentials(`Basic ${Buffer.from('a\u0000:s').toString('base64')}`, {})).toThrow(InvalidClientError);
    expect(() => readClientCredentials(basic('a'.repeat(5000), 's'), {})).toThrow(InvalidClientError);
  });
});

describe('redirect URIs', () => {
  it('matches exactly, except for the port of loopback IP URIs (RFC 8252 section 7.3)', () => {
    expect(matchRedirectUri('https://app.example/cb', ['https://app.example/cb'])).toBe(true);
    expect(matchRedirectUri('https://app.example/cb/', ['https://app.example/cb'])).toBe(false);
    expect(matchRedirectUri('https://app.example/cb?x=1', ['https://app.example/cb'])).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:51000/cb', ['http://127.0.0.1/cb'])).toBe(true);
    expect(matchRedirectUri('http://localhost:51000/cb', ['http://localhost/cb'])).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:51000/cb', ['http://127.0.0.1:4711/cb'])).toBe(true);
    expect(matchRedirectUri('http://127.0.0.1/cb', ['http://127.0.0.1:4711/cb'])).toBe(true);
    expect(matchRedirectUri('http://[::1]:51000/cb?x=1', ['http://[::1]:4711/cb?x=1'])).toBe(true);
    expect(matchRedirectUri('http://127.0.0.1:51000/cb2', ['http://127.0.0.1:4711/cb'])).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:99999/cb', ['http://127.0.0.1/cb'])).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:51000/cb', ['http://[::1]:4711/cb'])).toBe(false);
  });
});

describe('PKCE S256', () => {
  it('accepts the matching verifier and refuses another', () => {
    const verifier = 'a'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    expect(verifyPkceS256(verifier, challenge)).toBe(true);
    expect(verifyPkceS256('b'.repeat(50), challenge)).toBe(false);
    expect(verifyPkceS256('short', challenge)).toBe(false);
  });
});
