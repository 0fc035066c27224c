import { generateKeyPair, SignJWT } from 'jose';
import { AdminApi, basic, clientCredentials, discover, postForm, type HttpResult } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface Page<T> {
  items: T[];
  next: string | null;
}

/** CONTRACT.md, Admin API: every error is RFC 9457 problem+json with status, title and detail. */
function expectProblem(res: HttpResult<unknown>, status: number): Problem {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = res.body as Problem;
  expect(typeof body.status).toBe('number');
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

describe('admin API (CONTRACT.md, Admin API)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  /** Every raw answer body the suite saw, to search for leaked secrets at the end. */
  const secretsUsed: string[] = [];

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  describe('authentication and authorization', () => {
    it('answers 401 problem+json with a Bearer challenge without a token', async () => {
      const res = await admin.request('GET', '/tenants', undefined, { token: null });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('answers 401 problem+json with a Bearer challenge for a garbage token', async () => {
      for (const token of ['garbage', 'a.b.c', 'not a token at all', '%00%00']) {
        const res = await admin.request('GET', '/tenants', undefined, { token });
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
    });

    it('answers 401 for an expired-looking JWT signed by a key the server never issued', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ scope: 'platform:admin', client_id: server.bootstrapClient.id })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'forged' })
        .setIssuer(server.issuer('admin'))
        .setSubject(server.bootstrapClient.id)
        .setAudience(`${server.issuer('admin')}/api`)
        .setJti('forged-jti')
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(privateKey);
      const res = await admin.request('GET', '/tenants', undefined, { token });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    });

    it('answers 401 for a Basic authorization header instead of a bearer token', async () => {
      const res = await fetch(`${server.baseUrl}/admin/api/v1/tenants`, {
        headers: { authorization: basic(server.bootstrapClient.id, server.bootstrapClient.secret) },
      });
      const body = await res.json();
      expectProblem({ status: res.status, headers: res.headers, body }, 401);
    });

    it('answers 403 for a valid admin-tenant token that lacks scope platform:admin', async () => {
      const weak = await admin.createClient('admin', { name: 'No rights', grantTypes: ['client_credentials'], scopes: [] });
      secretsUsed.push(weak.clientSecret);
      const token = await clientCredentials(server.issuer('admin'), { id: weak.clientId, secret: weak.clientSecret });
      expect(token.status).toBe(200);
      const res = await admin.request('GET', '/tenants', undefined, { token: token.body.access_token });
      expectProblem(res, 403);
      const write = await admin.request('POST', '/tenants', { slug: 'never-made', displayName: 'x' }, { token: token.body.access_token });
      expectProblem(write, 403);
      expect((await admin.request('GET', '/tenants/never-made')).status).toBe(404);
      await admin.request('DELETE', `/tenants/admin/clients/${weak.clientId}`);
    });

    it('answers 401 for a token of another tenant presented to the admin API', async () => {
      const other = await admin.createTenant('auth');
      const client = await admin.createClient(other.slug);
      secretsUsed.push(client.clientSecret);
      const token = await clientCredentials(other.issuer, { id: client.clientId, secret: client.clientSecret });
      expect(token.status).toBe(200);
      expectProblem(await admin.request('GET', '/tenants', undefined, { token: token.body.access_token }), 401);
    });
  });

  describe('tenants', () => {
    it('creates a tenant: 201 with slug, displayName, issuer and settings', async () => {
      const slug = `ten-${Math.random().toString(36).slice(2, 10)}`;
      const res = await admin.request<Record<string, unknown>>('POST', '/tenants', { slug, displayName: 'Acme Corp' });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ slug, displayName: 'Acme Corp', issuer: `${server.baseUrl}/t/${slug}` });
      expect(res.body['settings']).toMatchObject({
        audience: `${server.baseUrl}/t/${slug}/api`,
        branding: { logoUrl: null, primaryColor: null },
        passwordGrantEnabled: false,
        implicitGrantEnabled: false,
      });
      const read = await admin.request('GET', `/tenants/${slug}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
      expect((await discover(`${server.baseUrl}/t/${slug}`)).issuer).toBe(`${server.baseUrl}/t/${slug}`);
    });

    it('answers 409 for a duplicate slug', async () => {
      const { slug } = await admin.createTenant('dup');
      expectProblem(await admin.request('POST', '/tenants', { slug, displayName: 'Again' }), 409);
    });

    it.each([
      ['uppercase', 'Acme'],
      ['a leading hyphen', '-acme'],
      ['a trailing hyphen', 'acme-'],
      ['33 characters', 'a'.repeat(33)],
      ['an underscore', 'ac_me'],
      ['a slash', 'ac/me'],
      ['an empty string', ''],
    ])('answers 400 with a slug field error for a slug with %s', async (_what, slug) => {
      const problem = expectProblem(await admin.request('POST', '/tenants', { slug, displayName: 'Bad' }), 400);
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'slug', message: expect.any(String) })]));
    });

    it('answers 400 with field errors for a missing displayName and an unknown field', async () => {
      const problem = expectProblem(await admin.request('POST', '/tenants', { slug: 'fine-slug', extra: 1 }), 400);
      const fields = problem.errors!.map((e) => e.field);
      expect(fields).toContain('displayName');
      expect(problem.errors!.every((e) => typeof e.field === 'string' && typeof e.message === 'string')).toBe(true);
    });

    it('answers 404 for an unknown tenant on read, change and delete', async () => {
      expectProblem(await admin.request('GET', '/tenants/no-such-tenant'), 404);
      expectProblem(await admin.request('PATCH', '/tenants/no-such-tenant', { displayName: 'x' }), 404);
      expectProblem(await admin.request('DELETE', '/tenants/no-such-tenant'), 404);
      expectProblem(await admin.request('GET', '/tenants/no-such-tenant/clients'), 404);
    });

    it('changes settings (branding colour, passwordGrantEnabled) and shows them on read', async () => {
      const { slug } = await admin.createTenant('set');
      const patched = await admin.request<{ displayName: string; settings: Record<string, unknown> }>('PATCH', `/tenants/${slug}`, {
        displayName: 'Renamed',
        settings: { branding: { primaryColor: '#1a2b3c' }, passwordGrantEnabled: true },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.displayName).toBe('Renamed');
      const read = await admin.request<{ displayName: string; settings: Record<string, unknown> }>('GET', `/tenants/${slug}`);
      expect(read.body.displayName).toBe('Renamed');
      expect(read.body.settings).toMatchObject({
        branding: { primaryColor: '#1a2b3c', logoUrl: null },
        passwordGrantEnabled: true,
        implicitGrantEnabled: false,
      });
      // A later patch of one setting keeps the others.
      await admin.request('PATCH', `/tenants/${slug}`, { settings: { implicitGrantEnabled: true } });
      const again = await admin.request<{ settings: Record<string, unknown> }>('GET', `/tenants/${slug}`);
      expect(again.body.settings).toMatchObject({ branding: { primaryColor: '#1a2b3c' }, passwordGrantEnabled: true, implicitGrantEnabled: true });
    });

    it('answers 400 with field errors for invalid settings', async () => {
      const { slug } = await admin.createTenant('bad');
      const problem = expectProblem(
        await admin.request('PATCH', `/tenants/${slug}`, { settings: { branding: { primaryColor: 'red' }, passwordGrantEnabled: 'yes' } }),
        400,
      );
      const fields = problem.errors!.map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['settings.branding.primaryColor', 'settings.passwordGrantEnabled']));
    });

    it('deletes a tenant: 204, then 404, and its issuer discovery answers 404', async () => {
      const { slug, issuer } = await admin.createTenant('del');
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
      const res = await admin.request('DELETE', `/tenants/${slug}`);
      expect(res.status).toBe(204);
      expect(res.body).toBeNull();
      expectProblem(await admin.request('GET', `/tenants/${slug}`), 404);
      expectProblem(await admin.request('DELETE', `/tenants/${slug}`), 404);
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(404);
      expect((await fetch(`${server.baseUrl}/.well-known/oauth-authorization-server/t/${slug}`)).status).toBe(404);
    });

    it('refuses to delete tenant admin with 409', async () => {
      expectProblem(await admin.request('DELETE', '/tenants/admin'), 409);
      expect((await admin.request('GET', '/tenants/admin')).status).toBe(200);
    });
  });

  describe('pagination', () => {
    it('follows next cursors with limit=2 through every client exactly once, ending with next null', async () => {
      const { slug } = await admin.createTenant('page');
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await admin.createClient(slug, { name: `Client ${i}` })).clientId);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
        const res: HttpResult<Page<{ clientId: string }>> = await admin.request<Page<{ clientId: string }>>('GET', `/tenants/${slug}/clients${query}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        expect(res.body).toHaveProperty('next');
        seen.push(...res.body.items.map((c) => c.clientId));
        cursor = res.body.next;
        pages++;
        expect(pages).toBeLessThan(10);
      } while (cursor !== null);

      // The tenant's built-in `account` client is listed too.
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort()).toEqual([...created, 'account'].sort());
      expect(pages).toBe(3);

      const all = await admin.request<Page<{ clientId: string }>>('GET', `/tenants/${slug}/clients?limit=200`);
      expect(all.body.next).toBeNull();
      expect(all.body.items).toHaveLength(6);
    });

    it.each([
      ['not base64 JSON', 'garbage!!'],
      ['base64 of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
      ['a well-formed cursor with an id of the wrong type', Buffer.from(JSON.stringify([new Date().toISOString(), 'not-a-uuid'])).toString('base64url')],
      ['a well-formed cursor with a NUL byte', Buffer.from(JSON.stringify([new Date().toISOString(), 'a\u0000b'])).toString('base64url')],
      ['a well-formed cursor with a date out of range', Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url')],
    ])('answers 400 for a cursor that is %s', async (_what, cursor) => {
      const problem = expectProblem(await admin.request('GET', `/tenants?limit=2&cursor=${encodeURIComponent(cursor)}`), 400);
      expect(problem.errors?.map((e) => e.field)).toContain('cursor');
    });

    it.each(['0', '1000', '-1', '2.5', 'abc'])('answers 400 with a limit field error for limit=%s', async (limit) => {
      const problem = expectProblem(await admin.request('GET', `/tenants?limit=${limit}`), 400);
      expect(problem.errors?.map((e) => e.field)).toContain('limit');
    });

    it('pages the signing keys and the scopes by limit and cursor too: no page holds more than limit items', async () => {
      const { slug } = await admin.createTenant('pages');
      for (const name of ['a:read', 'b:read', 'c:read']) {
        expect((await admin.request('POST', `/tenants/${slug}/scopes`, { name })).status).toBe(201);
      }
      for (let i = 0; i < 2; i++) expect((await admin.request('POST', `/tenants/${slug}/keys/rotate`)).status).toBe(200);

      async function everyPage<T>(path: string, limit: number, keyOf: (item: T) => string): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 20; pages++) {
          const query: string = cursor === null ? `?limit=${limit}` : `?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;
          const res: HttpResult<Page<T>> = await admin.request<Page<T>>('GET', `${path}${query}`);
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...res.body.items.map(keyOf));
          cursor = res.body.next;
          if (cursor === null) return seen;
        }
        throw new Error(`${path} never ended`);
      }

      const scopes = await everyPage<{ name: string }>(`/tenants/${slug}/scopes`, 2, (s) => s.name);
      expect(scopes).toEqual(['openid', 'profile', 'email', 'offline_access', 'a:read', 'account', 'b:read', 'c:read']);
      expect(await everyPage<{ name: string }>(`/tenants/${slug}/scopes`, 4, (s) => s.name)).toEqual(scopes);
      // An ES256 and an RS256 key from the start and from each rotation.
      const keys = await everyPage<{ kid: string }>(`/tenants/${slug}/keys`, 1, (k) => k.kid);
      expect(keys).toHaveLength(6);
      expect(new Set(keys).size).toBe(6);

      for (const path of [`/tenants/${slug}/keys?limit=0`, `/tenants/${slug}/keys?cursor=garbage!!`, `/tenants/${slug}/scopes?cursor=garbage!!`]) {
        const problem = expectProblem(await admin.request('GET', path), 400);
        expect(problem.errors?.length).toBeGreaterThan(0);
      }
    });

    it('lists tenants as {items, next}', async () => {
      const res = await admin.request<Page<{ slug: string }>>('GET', '/tenants?limit=1');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(typeof res.body.next).toBe('string');
    });
  });

  describe('clients', () => {
    let slug: string;

    beforeAll(async () => {
      slug = (await admin.createTenant('cli')).slug;
      expect((await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'orders:read' })).status).toBe(201);
    });

    const webClient = (redirectUris: string[]) => ({
      name: 'Web',
      type: 'confidential',
      grantTypes: ['authorization_code'],
      redirectUris,
      scopes: ['openid'],
    });

    it.each([
      ['a fragment', 'https://app.example/cb#frag'],
      ['plain http to a non-loopback host', 'http://evil.example/cb'],
      ['a relative reference', '/callback'],
      ['the javascript: scheme', 'javascript:alert(1)'],
    ])('answers 400 with a redirectUris field error for a redirect URI with %s', async (_what, uri) => {
      const problem = expectProblem(
        await admin.request('POST', `/tenants/${slug}/clients`, webClient(['https://app.example/ok', uri])),
        400,
      );
      expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'redirectUris.1', message: expect.any(String) })]));
    });

    it('accepts a loopback http redirect URI', async () => {
      const res = await admin.request('POST', `/tenants/${slug}/clients`, webClient(['http://127.0.0.1/cb']));
      expect(res.status).toBe(201);
    });

    it('answers 400 for a public client with client_credentials', async () => {
      const problem = expectProblem(
        await admin.request('POST', `/tenants/${slug}/clients`, { name: 'SPA', type: 'public', grantTypes: ['client_credentials'], scopes: [] }),
        400,
      );
      expect(problem.errors?.map((e) => e.field)).toContain('grantTypes');
    });

    it('answers 400 with field scopes.N for scopes not defined in the tenant', async () => {
      const problem = expectProblem(
        await admin.request('POST', `/tenants/${slug}/clients`, {
          name: 'Svc',
          type: 'confidential',
          grantTypes: ['client_credentials'],
          scopes: ['billing:admin', 'orders:read'],
        }),
        400,
      );
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'scopes.0' })]);
    });

    it('answers 400 with field errors for an unknown type, grant and a missing name', async () => {
      const problem = expectProblem(
        await admin.request('POST', `/tenants/${slug}/clients`, { type: 'secret', grantTypes: ['magic'] }),
        400,
      );
      expect(problem.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['name', 'type', 'grantTypes.0']));
    });

    it('creates a public client whose answer has no clientSecret', async () => {
      const res = await admin.request<Record<string, unknown>>('POST', `/tenants/${slug}/clients`, {
        name: 'SPA',
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: ['https://spa.example/cb'],
        scopes: ['openid'],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'public', name: 'SPA', redirectUris: ['https://spa.example/cb'] });
      expect(typeof res.body['clientId']).toBe('string');
      expect(res.body).not.toHaveProperty('clientSecret');
    });

    it('changes redirect URIs with PATCH and shows them on read; refuses an invalid one', async () => {
      const created = await admin.request<{ clientId: string; clientSecret: string }>(
        'POST',
        `/tenants/${slug}/clients`,
        webClient(['https://app.example/one']),
      );
      expect(created.status).toBe(201);
      secretsUsed.push(created.body.clientSecret);
      const id = created.body.clientId;
      const patched = await admin.request<{ redirectUris: string[] }>('PATCH', `/tenants/${slug}/clients/${id}`, {
        redirectUris: ['https://app.example/two', 'https://app.example/three'],
      });
      expect(patched.status).toBe(200);
      expect(patched.body.redirectUris).toEqual(['https://app.example/two', 'https://app.example/three']);
      const read = await admin.request<{ redirectUris: string[] }>('GET', `/tenants/${slug}/clients/${id}`);
      expect(read.body.redirectUris).toEqual(['https://app.example/two', 'https://app.example/three']);
      expect(read.body).not.toHaveProperty('clientSecret');

      const bad = expectProblem(await admin.request('PATCH', `/tenants/${slug}/clients/${id}`, { redirectUris: ['https://x.example/#f'] }), 400);
      expect(bad.errors!.map((e) => e.field)).toContain('redirectUris.0');
      const unchanged = await admin.request<{ redirectUris: string[] }>('GET', `/tenants/${slug}/clients/${id}`);
      expect(unchanged.body.redirectUris).toEqual(['https://app.example/two', 'https://app.example/three']);
    });

    it('answers 404 for an unknown client on read, change, rotate and delete', async () => {
      expectProblem(await admin.request('GET', `/tenants/${slug}/clients/nope`), 404);
      expectProblem(await admin.request('PATCH', `/tenants/${slug}/clients/nope`, { name: 'x' }), 404);
      expectProblem(await admin.request('POST', `/tenants/${slug}/clients/nope/secret`), 404);
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/clients/nope`), 404);
    });

    it('refuses to delete the built-in account client with 409', async () => {
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/clients/account`), 409);
    });
  });

  describe('users', () => {
    let slug: string;
    const password = 'correct-horse-battery-staple-9431';

    beforeAll(async () => {
      slug = (await admin.createTenant('usr')).slug;
      secretsUsed.push(password);
    });

    it('creates, reads, changes and deletes a user; the password never appears in an answer', async () => {
      const created = await admin.request<{ id: string; username: string; email: string | null }>('POST', `/tenants/${slug}/users`, {
        username: 'Alice',
        email: 'Alice@Example.com',
        password,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'Alice', email: 'alice@example.com', disabled: false, emailVerified: false });
      expect(JSON.stringify(created.body)).not.toContain(password);
      expect(created.body).not.toHaveProperty('password');
      expect(created.body).not.toHaveProperty('passwordHash');
      const id = created.body.id;

      const read = await admin.request('GET', `/tenants/${slug}/users/${id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const newPassword = 'another-long-password-7781';
      secretsUsed.push(newPassword);
      const patched = await admin.request<{ name: string; disabled: boolean }>('PATCH', `/tenants/${slug}/users/${id}`, {
        name: 'Alice Liddell',
        disabled: true,
        password: newPassword,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Alice Liddell', disabled: true });
      expect(JSON.stringify(patched.body)).not.toContain(newPassword);

      const list = await admin.request<Page<{ id: string }>>('GET', `/tenants/${slug}/users`);
      expect(list.body.items.map((u) => u.id)).toContain(id);
      expect(JSON.stringify(list.body)).not.toContain(password);
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash/);

      expect((await admin.request('DELETE', `/tenants/${slug}/users/${id}`)).status).toBe(204);
      expectProblem(await admin.request('GET', `/tenants/${slug}/users/${id}`), 404);
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/users/${id}`), 404);
    });

    it('answers 409 for a username taken in another letter case', async () => {
      expect((await admin.request('POST', `/tenants/${slug}/users`, { username: 'bob', password })).status).toBe(201);
      expectProblem(await admin.request('POST', `/tenants/${slug}/users`, { username: 'BOB', password }), 409);
      expectProblem(await admin.request('POST', `/tenants/${slug}/users`, { username: 'Bob', password }), 409);
    });

    it('answers 400 with field errors for a short password and a bad email', async () => {
      const problem = expectProblem(
        await admin.request('POST', `/tenants/${slug}/users`, { username: 'carol', email: 'not-an-email', password: 'short' }),
        400,
      );
      expect(problem.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['email', 'password']));
      expect(JSON.stringify(problem)).not.toContain('"short"');
    });

    it.each([
      ['an unknown uuid', '00000000-0000-4000-8000-000000000000'],
      ['a malformed id', 'not-a-uuid'],
      ['a SQL-looking id', "1' OR '1'='1"],
    ])('answers 404 for %s on read, change and delete', async (_what, id) => {
      const path = `/tenants/${slug}/users/${encodeURIComponent(id)}`;
      expectProblem(await admin.request('GET', path), 404);
      expectProblem(await admin.request('PATCH', path, { name: 'x' }), 404);
      expectProblem(await admin.request('DELETE', path), 404);
    });
  });

  describe('scopes', () => {
    let slug: string;

    beforeAll(async () => {
      slug = (await admin.createTenant('scp')).slug;
    });

    it('creates a scope and lists it after the built-in ones', async () => {
      const created = await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'invoices:read', description: 'Read invoices' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'invoices:read', description: 'Read invoices', builtIn: false });

      const list = await admin.request<Page<{ name: string; builtIn: boolean }>>('GET', `/tenants/${slug}/scopes`);
      expect(list.status).toBe(200);
      for (const name of ['openid', 'profile', 'email', 'offline_access']) {
        expect(list.body.items).toContainEqual(expect.objectContaining({ name, builtIn: true }));
      }
      expect(list.body.items).toContainEqual(expect.objectContaining({ name: 'invoices:read', builtIn: false }));
    });

    it('answers 409 for a duplicate scope and for defining a built-in one', async () => {
      await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'dup:scope' });
      expectProblem(await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'dup:scope' }), 409);
      expectProblem(await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'openid' }), 409);
    });

    it('answers 400 for a name that is not an RFC 6749 scope token', async () => {
      const problem = expectProblem(await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'has space' }), 400);
      expect(problem.errors!.map((e) => e.field)).toContain('name');
    });

    it('refuses to delete a built-in scope with 409, deletes a custom one with 204, then 404', async () => {
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/scopes/openid`), 409);
      await admin.request('POST', `/tenants/${slug}/scopes`, { name: 'temp:scope' });
      expect((await admin.request('DELETE', `/tenants/${slug}/scopes/temp:scope`)).status).toBe(204);
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/scopes/temp:scope`), 404);
      const list = await admin.request<Page<{ name: string }>>('GET', `/tenants/${slug}/scopes`);
      expect(list.body.items.map((s) => s.name)).not.toContain('temp:scope');
    });

    it('refuses with 409 to delete a scope a built-in client holds: account (every tenant) and platform:admin (tenant admin)', async () => {
      expectProblem(await admin.request('DELETE', `/tenants/${slug}/scopes/account`), 409);
      expectProblem(await admin.request('DELETE', '/tenants/admin/scopes/platform:admin'), 409);
      const list = await admin.request<Page<{ name: string }>>('GET', `/tenants/${slug}/scopes?limit=200`);
      expect(list.body.items.map((s) => s.name)).toContain('account');
    });
  });

  describe('audit events', () => {
    it('records client, secret and user actions newest first with actor info, and never a secret or password', async () => {
      const { slug } = await admin.createTenant('aud');
      const client = await admin.createClient(slug, { name: 'Audited' });
      secretsUsed.push(client.clientSecret);
      expect((await admin.request('PATCH', `/tenants/${slug}/clients/${client.clientId}`, { name: 'Audited 2' })).status).toBe(200);
      const rotated = await admin.request<{ clientSecret: string }>('POST', `/tenants/${slug}/clients/${client.clientId}/secret`);
      expect(rotated.status).toBe(200);
      secretsUsed.push(rotated.body.clientSecret);
      const password = 'audit-user-password-5512';
      secretsUsed.push(password);
      const user = await admin.request<{ id: string }>('POST', `/tenants/${slug}/users`, { username: 'dave', password });
      expect(user.status).toBe(201);
      const newPassword = 'audit-user-new-password-8817';
      secretsUsed.push(newPassword);
      expect((await admin.request('PATCH', `/tenants/${slug}/users/${user.body.id}`, { password: newPassword })).status).toBe(200);

      const res = await fetch(`${server.baseUrl}/admin/api/v1/tenants/${slug}/audit-events?limit=200`, {
        headers: { authorization: `Bearer ${await admin.accessToken()}` },
      });
      expect(res.status).toBe(200);
      const raw = await res.text();
      const events = (JSON.parse(raw) as Page<{ action: string; actor: { type: string; id: string | null }; createdAt: string; target: { id: string | null } }>).items;
      const actions = events.map((e) => e.action);
      for (const action of ['tenant.created', 'client.created', 'client.updated', 'client.secret_rotated', 'user.created', 'user.updated']) {
        expect(actions).toContain(action);
      }
      // Newest first.
      expect(actions.indexOf('user.updated')).toBeLessThan(actions.indexOf('user.created'));
      expect(actions.indexOf('client.secret_rotated')).toBeLessThan(actions.indexOf('client.updated'));
      expect(actions.indexOf('client.updated')).toBeLessThan(actions.indexOf('client.created'));
      const times = events.map((e) => Date.parse(e.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const rotatedEvent = events.find((e) => e.action === 'client.secret_rotated')!;
      expect(rotatedEvent.target.id).toBe(client.clientId);
      for (const event of events) {
        expect(event.actor).toMatchObject({ type: 'client', id: server.bootstrapClient.id });
      }

      for (const secret of [...secretsUsed, server.bootstrapClient.secret]) expect(raw).not.toContain(secret);
      expect(raw).not.toMatch(/secretHash|passwordHash|argon2/);
    });

    it('filters by action', async () => {
      const { slug } = await admin.createTenant('audf');
      await admin.createClient(slug);
      const res = await admin.request<Page<{ action: string }>>('GET', `/tenants/${slug}/audit-events?action=client.created`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((e) => e.action === 'client.created')).toBe(true);
    });
  });

  describe('tokens', () => {
    it('revokes every token of a client: an issued token then introspects inactive', async () => {
      const tenant = await admin.createTenant('tok');
      const client = await admin.createClient(tenant.slug);
      const watcher = await admin.createClient(tenant.slug, { name: 'Introspector' });
      secretsUsed.push(client.clientSecret, watcher.clientSecret);
      const token = (await clientCredentials(tenant.issuer, { id: client.clientId, secret: client.clientSecret })).body.access_token;
      const { introspection_endpoint } = await discover(tenant.issuer);
      const auth = { authorization: basic(watcher.clientId, watcher.clientSecret) };
      expect((await postForm(introspection_endpoint, { token }, auth)).body['active']).toBe(true);

      const revoked = await admin.request('POST', `/tenants/${tenant.slug}/tokens/revoke`, { clientId: client.clientId });
      expect(revoked.status).toBe(200);
      expect((await postForm(introspection_endpoint, { token }, auth)).body).toEqual({ active: false });
      // The watcher's own tokens are untouched.
      const own = (await clientCredentials(tenant.issuer, { id: watcher.clientId, secret: watcher.clientSecret })).body.access_token;
      expect((await postForm(introspection_endpoint, { token: own }, auth)).body['active']).toBe(true);
    });

    it('answers 404 for revoking the tokens of an unknown client and 400 for an empty body', async () => {
      const { slug } = await admin.createTenant('tok4');
      expectProblem(await admin.request('POST', `/tenants/${slug}/tokens/revoke`, { clientId: 'nope' }), 404);
      expectProblem(await admin.request('POST', `/tenants/${slug}/tokens/revoke`, {}), 400);
    });
  });

  describe('OpenAPI', () => {
    it('serves the OpenAPI document with the tenants path and its request body schema', async () => {
      const res = await fetch(`${server.baseUrl}/admin/api/docs/openapi.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/json/);
      const doc = (await res.json()) as {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> } }>>;
      };
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths).toHaveProperty('/admin/api/v1/tenants');
      const schema = doc.paths['/admin/api/v1/tenants']!['post']!.requestBody!.content['application/json']!.schema;
      expect(schema.properties).toHaveProperty('slug');
      expect(schema.properties).toHaveProperty('displayName');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/admin/api/v1/tenants/{slug}/clients', '/admin/api/v1/tenants/{slug}/users']));
    });

    it('serves the API docs as HTML', async () => {
      const res = await fetch(`${server.baseUrl}/admin/api/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/<html/i);
    });
  });

  describe('error shape', () => {
    it('answers every 400 with field errors, also for a body that is not JSON at all', async () => {
      const bodies = ['{"slug":', '', '{"slug": "x",}'];
      for (const rawBody of bodies) {
        const problem = expectProblem(await admin.request('POST', '/tenants', undefined, { rawBody }), 400);
        expect(problem.errors).toEqual([expect.objectContaining({ field: expect.any(String), message: expect.any(String) })]);
      }
      // A path the router cannot decode.
      const problem = expectProblem(await admin.request('GET', '/tenants/%ZZ'), 400);
      expect(problem.errors).toEqual([expect.objectContaining({ field: expect.any(String), message: expect.any(String) })]);
    });

    it('answers problem+json for an unknown admin route and an unsupported method', async () => {
      expectProblem(await admin.request('GET', '/no-such-thing'), 404);
      const res = await admin.request('PUT', '/tenants', { slug: 'x' });
      expect([404, 405]).toContain(res.status);
      expectProblem(res, res.status);
    });
  });
});
