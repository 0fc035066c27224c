import { describe, expect, it } from '@jest/globals';
import { clientMetadataIssues, clientShapeIssues, redirectUriIssues, redirectUriProblem, type ClientShape } from './client-metadata.rules.js';

describe('redirectUriProblem: which redirect URIs a client may register', () => {
  it.each([
    ['https://app.example.com/callback'],
    ['https://app.example.com/cb?tenant=a'],
    ['http://localhost:8080/cb'],
    ['http://localhost/cb'],
    ['http://127.0.0.1/cb'],
    ['http://127.0.0.1:4711/cb'],
    ['http://[::1]:3000/cb'],
    ['com.example.app:/oauth2redirect'],
    ['com.example.app://callback'],
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['an empty string', '', /^Enter a URI/],
    ['a fragment (RFC 6749 section 3.1.2)', 'https://app.example.com/cb#frag', /fragment/],
    ['an empty fragment', 'https://app.example.com/cb#', /fragment/],
    ['a relative reference', '/relative/callback', /absolute/],
    ['a relative path', 'relative/path', /absolute/],
    ['plain http to a non-loopback host', 'http://app.example.com/cb', /^Plain http is allowed only for loopback/],
    ['plain http to a host that only starts like a loopback one', 'http://localhost.evil.example/cb', /loopback/],
    ['the javascript: scheme', 'javascript:alert(1)', /^The javascript: scheme is not allowed/],
    ['the data: scheme', 'data:text/html,<script>alert(1)</script>', /^The data: scheme is not allowed/],
    ['the vbscript: scheme', 'vbscript:msgbox(1)', /^The vbscript: scheme is not allowed/],
    ['the blob: scheme', 'blob:https://app.example.com/5f0c', /^The blob: scheme is not allowed/],
    ['the file: scheme', 'file:///etc/passwd', /^The file: scheme is not allowed/],
    ['a dot-less private-use scheme (RFC 8252 section 7.1)', 'myapp:/callback', /reverse-domain app scheme/],
    ['a dot-less scheme with an authority', 'myapp://callback', /reverse-domain app scheme/],
    ['a space inside (RFC 3986)', 'https://app.example.com/my callback', /spaces/],
    ['a leading space', ' https://app.example.com/cb', /spaces/],
    ['a control character', 'https://app.example.com/cb\u0000x', /control characters/],
    ['a line break', 'https://app.example.com/cb\nLocation: x', /control characters/],
    ['more than 2048 characters', `https://app.example.com/${'a'.repeat(2048)}`, /At most 2048 characters/],
  ])('refuses %s', (_what, uri, message) => {
    expect(redirectUriProblem(uri)).toMatch(message);
  });
});

const shape = (overrides: Partial<ClientShape>): ClientShape => ({
  type: 'confidential',
  redirectUris: ['https://app.example/cb'],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code'],
  ...overrides,
});

describe('clientShapeIssues: rules that tie fields together', () => {
  it('accepts a confidential web client and a public native client', () => {
    expect(clientShapeIssues(shape({}))).toEqual([]);
    expect(clientShapeIssues(shape({ type: 'public', redirectUris: ['com.example.app:/cb'], grantTypes: ['authorization_code', 'refresh_token'] }))).toEqual([]);
  });

  it('accepts a machine client without redirect URIs', () => {
    expect(clientShapeIssues(shape({ redirectUris: [], grantTypes: ['client_credentials'] }))).toEqual([]);
  });

  it.each([['authorization_code'], ['implicit']] as const)('requires a redirect URI for the %s grant', (grant) => {
    expect(clientShapeIssues(shape({ redirectUris: [], grantTypes: [grant] }))).toEqual([
      { path: ['redirectUris'], message: 'Add at least one redirect URI for the authorization code or implicit grant', error: 'invalid_redirect_uri' },
    ]);
  });

  it('refuses client_credentials for a public client (RFC 6749 section 4.4)', () => {
    expect(clientShapeIssues(shape({ type: 'public', grantTypes: ['client_credentials'], redirectUris: [] }))).toEqual([
      { path: ['grantTypes'], message: 'Client credentials needs a confidential client', error: 'invalid_client_metadata' },
    ]);
  });

  it('refuses the password grant for a public client', () => {
    expect(clientShapeIssues(shape({ type: 'public', grantTypes: ['password'], redirectUris: [] }))).toEqual([
      { path: ['grantTypes'], message: 'The password grant needs a confidential client', error: 'invalid_client_metadata' },
    ]);
  });

  it('lets a confidential client use client_credentials and password', () => {
    expect(clientShapeIssues(shape({ grantTypes: ['client_credentials', 'password'], redirectUris: [] }))).toEqual([]);
  });

  it('names a refused grant once, even when it is listed twice', () => {
    expect(clientShapeIssues(shape({ type: 'public', grantTypes: ['password', 'password'], redirectUris: [] }))).toHaveLength(1);
  });
});

describe('clientMetadataIssues and redirectUriIssues', () => {
  it('names each refused URI by list and position, then the cross-field rules', () => {
    const issues = clientMetadataIssues(
      shape({ type: 'public', redirectUris: ['https://ok.example/cb', 'myapp:/cb'], postLogoutRedirectUris: ['vbscript:x'], grantTypes: ['authorization_code', 'client_credentials'] }),
    );
    expect(issues.map(({ path, error }) => ({ path, error }))).toEqual([
      { path: ['redirectUris', 1], error: 'invalid_redirect_uri' },
      { path: ['postLogoutRedirectUris', 0], error: 'invalid_redirect_uri' },
      { path: ['grantTypes'], error: 'invalid_client_metadata' },
    ]);
  });

  it('checks only the URI lists it is given (a PATCH that sends none checks none)', () => {
    expect(redirectUriIssues({})).toEqual([]);
    expect(redirectUriIssues({ postLogoutRedirectUris: ['blob:x'] }).map((i) => i.path)).toEqual([['postLogoutRedirectUris', 0]]);
  });
});
