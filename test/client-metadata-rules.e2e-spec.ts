// The client metadata rules as the admin API applies them on create and PATCH (one definition in
// libs/shared/contracts, also used by the dashboard's form): each rule answers 400 problem+json with
// the field it concerns and the message the dashboard shows.
import { AdminApi, type HttpResult } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

interface FieldError {
  field: string;
  message: string;
}

function fieldErrors(res: HttpResult<unknown>): FieldError[] {
  expect({ status: res.status, type: res.headers.get('content-type') }).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
  return (res.body as { errors: FieldError[] }).errors;
}

describe('client metadata rules in the admin API', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let clients: string;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    clients = `/tenants/${(await admin.createTenant('rules')).slug}/clients`;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  const webClient = (redirectUris: string[], extra: Record<string, unknown> = {}) => ({
    name: 'Web',
    type: 'confidential',
    grantTypes: ['authorization_code'],
    redirectUris,
    ...extra,
  });

  describe('redirect URIs (RFC 6749 section 3.1.2, RFC 8252)', () => {
    it.each([
      ['the vbscript: scheme', 'vbscript:msgbox(1)', /^The vbscript: scheme is not allowed/],
      ['the blob: scheme', 'blob:https://app.example/5f0c', /^The blob: scheme is not allowed/],
      ['the data: scheme', 'data:text/html,<script>alert(1)</script>', /^The data: scheme is not allowed/],
      ['the file: scheme', 'file:///etc/passwd', /^The file: scheme is not allowed/],
      ['the javascript: scheme', 'javascript:alert(1)', /^The javascript: scheme is not allowed/],
      ['a dot-less private-use scheme (RFC 8252 section 7.1)', 'myapp:/callback', /reverse-domain app scheme/],
      ['a fragment', 'https://app.example/cb#frag', /^Must not contain a fragment/],
      ['plain http to a non-loopback host', 'http://app.example/cb', /^Plain http is allowed only for loopback/],
      ['a relative reference', '/callback', /^Must be an absolute URI/],
      ['a space', 'https://app.example/my cb', /^Must not contain spaces/],
      ['an empty string', '', /^Enter a URI/],
    ])('refuses %s on create and on PATCH, at the URI’s position, and stores nothing', async (_what, uri, message) => {
      const created = fieldErrors(await admin.request('POST', clients, webClient(['https://app.example/ok', uri])));
      expect(created).toEqual([{ field: 'redirectUris.1', message: expect.stringMatching(message) }]);
      const logout = fieldErrors(await admin.request('POST', clients, webClient(['https://app.example/ok'], { postLogoutRedirectUris: [uri] })));
      expect(logout).toEqual([{ field: 'postLogoutRedirectUris.0', message: expect.stringMatching(message) }]);

      const ok = await admin.request<{ clientId: string }>('POST', clients, webClient(['https://app.example/ok']));
      expect(ok.status).toBe(201);
      const patched = fieldErrors(await admin.request('PATCH', `${clients}/${ok.body.clientId}`, { redirectUris: [uri] }));
      expect(patched).toEqual([{ field: 'redirectUris.0', message: expect.stringMatching(message) }]);
      const read = await admin.request<{ redirectUris: string[] }>('GET', `${clients}/${ok.body.clientId}`);
      expect(read.body.redirectUris).toEqual(['https://app.example/ok']);
    });

    it('accepts https, loopback http (localhost, 127.0.0.1, [::1], any port) and reverse-domain app schemes', async () => {
      const uris = ['https://app.example/cb', 'http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]:3000/cb', 'com.example.app:/cb'];
      const res = await admin.request<{ redirectUris: string[] }>('POST', clients, webClient(uris, { postLogoutRedirectUris: uris }));
      expect(res.status).toBe(201);
      expect(res.body.redirectUris).toEqual(uris);
    });
  });

  describe('rules across fields', () => {
    it.each([
      ['client_credentials', 'grantTypes', 'Client credentials needs a confidential client'],
      ['password', 'grantTypes', 'The password grant needs a confidential client'],
    ])('refuses %s for a public client', async (grant, field, message) => {
      const errors = fieldErrors(await admin.request('POST', clients, { name: 'SPA', type: 'public', grantTypes: [grant] }));
      expect(errors).toEqual([{ field, message }]);
    });

    it.each([['authorization_code'], ['implicit']])('requires a redirect URI for the %s grant', async (grant) => {
      const errors = fieldErrors(await admin.request('POST', clients, { name: 'App', type: 'confidential', grantTypes: [grant] }));
      expect(errors).toEqual([{ field: 'redirectUris', message: 'Add at least one redirect URI for the authorization code or implicit grant' }]);
    });

    it('checks a PATCH against the client it would produce, and changes nothing when refused', async () => {
      const spa = await admin.request<{ clientId: string }>('POST', clients, { name: 'SPA', type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://spa.example/cb'] });
      expect(spa.status).toBe(201);
      const path = `${clients}/${spa.body.clientId}`;
      expect(fieldErrors(await admin.request('PATCH', path, { grantTypes: ['authorization_code', 'client_credentials'] }))).toEqual([
        { field: 'grantTypes', message: 'Client credentials needs a confidential client' },
      ]);
      expect(fieldErrors(await admin.request('PATCH', path, { redirectUris: [] }))).toEqual([
        { field: 'redirectUris', message: 'Add at least one redirect URI for the authorization code or implicit grant' },
      ]);
      const read = await admin.request<{ grantTypes: string[]; redirectUris: string[] }>('GET', path);
      expect(read.body).toMatchObject({ grantTypes: ['authorization_code'], redirectUris: ['https://spa.example/cb'] });
    });
  });

  describe('limits', () => {
    it('refuses more than 50 redirect URIs, a name over 200 characters and lifetimes out of range', async () => {
      const uris = Array.from({ length: 51 }, (_, i) => `https://app.example/cb${i}`);
      expect(fieldErrors(await admin.request('POST', clients, webClient(uris)))).toEqual([{ field: 'redirectUris', message: 'At most 50 redirect URIs' }]);
      expect(fieldErrors(await admin.request('POST', clients, webClient(['https://app.example/cb'], { name: 'n'.repeat(201) })))).toEqual([
        { field: 'name', message: 'At most 200 characters' },
      ]);
      const lifetimes = { accessTokenTtl: 59, refreshTokenTtl: 31_536_001, refreshTokenIdleTtl: 1.5 };
      expect(fieldErrors(await admin.request('POST', clients, webClient(['https://app.example/cb'], lifetimes)))).toEqual([
        { field: 'accessTokenTtl', message: 'At least 60 seconds' },
        { field: 'refreshTokenTtl', message: 'At most 1 year (31536000 s)' },
        { field: 'refreshTokenIdleTtl', message: 'Enter a whole number of seconds' },
      ]);
    });
  });
});
