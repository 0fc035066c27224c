import { describe, expect, it } from '@jest/globals';
import { CLIENT_LIFETIME_BOUNDS, CLIENT_LIMITS } from './client-metadata.rules.js';
import { createClientSchema, updateClientSchema } from './clients.schema.js';

const web = { name: 'Web', type: 'confidential', grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'] };

/** The issues of a failed parse as `path: message`, the form a problem's `errors` takes. */
function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

describe('createClientSchema (the admin API adapter of the client metadata rules)', () => {
  it('fills in the documented defaults', () => {
    const parsed = createClientSchema.parse(web);
    expect(parsed).toMatchObject({
      postLogoutRedirectUris: [],
      scopes: [],
      firstParty: false,
      accessTokenTtl: CLIENT_LIFETIME_BOUNDS.accessTokenTtl.default,
      refreshTokenTtl: CLIENT_LIFETIME_BOUNDS.refreshTokenTtl.default,
      refreshTokenIdleTtl: CLIENT_LIFETIME_BOUNDS.refreshTokenIdleTtl.default,
      idTokenSignedResponseAlg: 'RS256',
    });
  });

  it('puts a refused redirect URI at its position, with the rule’s message', () => {
    expect(issuesOf(createClientSchema.safeParse({ ...web, redirectUris: ['https://ok.example/cb', 'myapp:/cb'] }))).toEqual([
      'redirectUris.1: Must use https, loopback http, or a reverse-domain app scheme (com.example.app:/…)',
    ]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, postLogoutRedirectUris: ['vbscript:msgbox(1)'] }))).toEqual([
      'postLogoutRedirectUris.0: The vbscript: scheme is not allowed',
    ]);
  });

  it('applies the cross-field rules, also next to field errors', () => {
    expect(issuesOf(createClientSchema.safeParse({ ...web, type: 'public', grantTypes: ['client_credentials'], redirectUris: [] }))).toEqual([
      'grantTypes: Client credentials needs a confidential client',
    ]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, redirectUris: [] }))).toEqual([
      'redirectUris: Add at least one redirect URI for the authorization code or implicit grant',
    ]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, name: '', type: 'public', grantTypes: ['password'] }))).toEqual([
      'name: Give the client a name',
      'grantTypes: The password grant needs a confidential client',
    ]);
  });

  it('holds the limits: counts, lengths and lifetimes', () => {
    const uris = (n: number) => Array.from({ length: n }, (_, i) => `https://app.example/cb${i}`);
    expect(createClientSchema.safeParse({ ...web, redirectUris: uris(CLIENT_LIMITS.redirectUris) }).success).toBe(true);
    expect(issuesOf(createClientSchema.safeParse({ ...web, redirectUris: uris(CLIENT_LIMITS.redirectUris + 1) }))).toEqual([
      'redirectUris: At most 50 redirect URIs',
    ]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, name: 'n'.repeat(CLIENT_LIMITS.nameLength + 1) }))).toEqual(['name: At most 200 characters']);
    expect(issuesOf(createClientSchema.safeParse({ ...web, scopes: ['a b'] }))).toEqual(['scopes.0: Not a valid scope name']);
    expect(issuesOf(createClientSchema.safeParse({ ...web, accessTokenTtl: 59, refreshTokenTtl: 31_536_001, refreshTokenIdleTtl: 1.5 }))).toEqual([
      'accessTokenTtl: At least 60 seconds',
      'refreshTokenTtl: At most 1 year (31536000 s)',
      'refreshTokenIdleTtl: Enter a whole number of seconds',
    ]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, accessTokenTtl: 86_401 }))).toEqual(['accessTokenTtl: At most 1 day (86400 s)']);
  });

  it('refuses unknown fields, types and grants', () => {
    expect(issuesOf(createClientSchema.safeParse({ ...web, builtIn: true }))).toEqual([expect.stringMatching(/^: Unrecognized key/)]);
    expect(issuesOf(createClientSchema.safeParse({ ...web, type: 'secret', grantTypes: ['magic'] }))).toEqual([
      'type: Must be confidential or public',
      'grantTypes.0: Must be one of authorization_code, refresh_token, client_credentials, password, implicit',
    ]);
  });
});

describe('updateClientSchema (PATCH)', () => {
  it('checks each field it is sent and nothing else', () => {
    expect(updateClientSchema.parse({ name: ' Renamed ' })).toEqual({ name: 'Renamed' });
    expect(issuesOf(updateClientSchema.safeParse({ redirectUris: ['blob:https://a.example/x'] }))).toEqual(['redirectUris.0: The blob: scheme is not allowed']);
  });

  it('does not change the client type', () => {
    expect(updateClientSchema.safeParse({ type: 'public' }).success).toBe(false);
  });
});
