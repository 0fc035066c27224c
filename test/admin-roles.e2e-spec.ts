import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { Browser, pkcePair } from './support/browser.js';
import { AdminApi, discover, postForm, type HttpResult, type Metadata } from './support/oauth-client.js';
import { authorizeUrl, signIn } from './support/sign-in.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

const PASSWORD = 'a long enough password';
const DASHBOARD_SCOPE = 'openid profile email offline_access platform:admin';

interface Page<T> {
  items: T[];
  next: string | null;
}
interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope?: string;
}
interface MemberView {
  userId: string;
  username: string;
  email: string | null;
  role: 'owner' | 'admin' | 'viewer';
  createdAt: string;
}
interface MeView {
  kind: 'client' | 'user';
  subject: string;
  clientId: string;
  username?: string;
  platformAdmin: boolean;
  memberships: { tenant: string; role: string }[];
}

function expectProblem(res: HttpResult<unknown>, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

const scopesOf = (token: string): string[] => String(decodeJwt(token)['scope'] ?? '').split(' ');

/**
 * The test database outlives one run and one port: the built-in dashboard client was registered with
 * the redirect URI of whichever run created it. A loopback redirect URI without a port matches every
 * port (RFC 8252 section 7.3), so this makes `${PUBLIC_URL}/callback` work for each run.
 */
async function allowDashboardCallbackOnAnyPort(admin: AdminApi): Promise<void> {
  const dashboard = await admin.request<{ redirectUris: string[] }>('GET', '/tenants/admin/clients/dashboard');
  expect(dashboard.status).toBe(200);
  if (dashboard.body.redirectUris.includes('http://127.0.0.1/callback')) return;
  const patched = await admin.request('PATCH', '/tenants/admin/clients/dashboard', {
    redirectUris: [...dashboard.body.redirectUris, 'http://127.0.0.1/callback'],
  });
  expect(patched.status).toBe(200);
}

/** As the dashboard does: the public client `dashboard` of tenant `admin`, PKCE, `${PUBLIC_URL}/callback`. */
async function dashboardSignIn(server: TesseraProcess, username: string, password = PASSWORD, scope = DASHBOARD_SCOPE): Promise<Tokens> {
  const meta = await discover(server.issuer('admin'));
  const redirectUri = `${server.baseUrl}/callback`;
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(meta, {
    response_type: 'code',
    client_id: 'dashboard',
    redirect_uri: redirectUri,
    scope,
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  // Redirects are followed within tenant admin only: the callback is the dashboard's, not the server's.
  const { location, sawConsent } = await signIn(new Browser(), server.issuer('admin'), url, { username, password });
  expect(sawConsent).toBe(false);
  expect(location.toString().startsWith(redirectUri)).toBe(true);
  const code = location.searchParams.get('code');
  expect(code).toEqual(expect.any(String));
  const res = await postForm<Tokens>(meta.token_endpoint, {
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: redirectUri,
    client_id: 'dashboard',
    code_verifier: verifier,
  });
  expect(res.status).toBe(200);
  return res.body;
}

describe('admin roles: platform admins, and owners, admins and viewers of a tenant (CONTRACT.md, Admin API)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let meta: Metadata;
  /** olive owns A and views B; adam administers A; vera views A; nobody holds a role in C. */
  let a: string;
  let b: string;
  let c: string;
  const run = randomBytes(4).toString('hex');
  const name = (who: string): string => `${who}-${run}@admins.example`;
  const ids: Record<string, string> = {};
  const tokens: Record<string, Tokens> = {};

  const as = <T = Record<string, unknown>>(who: string, method: string, path: string, body?: unknown): Promise<HttpResult<T>> =>
    admin.request<T>(method, path, body, { token: tokens[who]!.access_token });

  async function createAdminUser(who: string): Promise<string> {
    const res = await admin.request<{ id: string }>('POST', '/tenants/admin/users', { username: name(who), email: name(who), password: PASSWORD });
    expect(res.status).toBe(201);
    ids[who] = res.body.id;
    return res.body.id;
  }

  async function grant(slug: string, who: string, role: string): Promise<void> {
    const res = await admin.request('POST', `/tenants/${slug}/members`, { userId: ids[who], role });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
    meta = await discover(server.issuer('admin'));
    await allowDashboardCallbackOnAnyPort(admin);
    [a, b, c] = await Promise.all(['roles-a', 'roles-b', 'roles-c'].map(async (p) => (await admin.createTenant(p)).slug)) as [string, string, string];
    for (const who of ['root', 'olive', 'adam', 'vera', 'nobody', 'fallen']) await createAdminUser(who);
    // A platform admin of our own (the bootstrap admin may come from an earlier run, password unknown).
    await grant('admin', 'root', 'owner');
    await grant('admin', 'fallen', 'owner');
    await grant(a, 'olive', 'owner');
    await grant(b, 'olive', 'viewer');
    for (const who of ['root', 'olive', 'adam', 'vera', 'nobody', 'fallen']) tokens[who] = await dashboardSignIn(server, name(who));
  });

  afterAll(async () => {
    await server?.stop();
  });

  describe('scope platform:admin', () => {
    it('is dropped from the grant of a user who is not a platform admin, though the dashboard asked for it', () => {
      for (const who of ['olive', 'adam', 'vera', 'nobody']) {
        expect(tokens[who]!.scope!.split(' ').sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
        expect(scopesOf(tokens[who]!.access_token)).not.toContain('platform:admin');
      }
    });

    it('is granted to a platform admin (owner of tenant admin), who then sees and reaches every tenant', async () => {
      expect(tokens['root']!.scope!.split(' ')).toContain('platform:admin');
      expect(scopesOf(tokens['root']!.access_token)).toContain('platform:admin');
      const mine = await as<Page<{ slug: string }>>('root', 'GET', '/tenants?limit=200');
      const all = await admin.request<Page<{ slug: string }>>('GET', '/tenants?limit=200');
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((t) => t.slug)).toEqual(all.body.items.map((t) => t.slug));
      expect((await as('root', 'GET', `/tenants/${c}`)).status).toBe(200);
      const created = await as<{ slug: string }>('root', 'POST', '/tenants', { slug: `roles-root-${run}`, displayName: 'Made by a platform admin' });
      expect(created.status).toBe(201);
      expect((await as('root', 'DELETE', `/tenants/${created.body.slug}`)).status).toBe(204);
    });

    it('stops working as soon as the user is no longer owner of tenant admin, and a refresh no longer carries it', async () => {
      const fallen = tokens['fallen']!;
      expect(scopesOf(fallen.access_token)).toContain('platform:admin');
      expect((await as('fallen', 'GET', `/tenants/${c}`)).status).toBe(200);
      expect((await admin.request('DELETE', `/tenants/admin/members/${ids['fallen']}`)).status).toBe(204);
      expectProblem(await as('fallen', 'GET', `/tenants/${c}`), 404);
      expectProblem(await as('fallen', 'POST', '/tenants', { slug: `roles-never-${run}`, displayName: 'x' }), 403);
      const refreshed = await postForm<Tokens>(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: fallen.refresh_token!, client_id: 'dashboard' });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.scope!.split(' ')).not.toContain('platform:admin');
      expect(scopesOf(refreshed.body.access_token)).not.toContain('platform:admin');
    });

    it('stays with the bootstrap client (client_credentials)', async () => {
      const me = await admin.request<MeView>('GET', '/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ kind: 'client', subject: server.bootstrapClient.id, clientId: server.bootstrapClient.id, platformAdmin: true, memberships: [] });
    });
  });

  describe('owners manage members', () => {
    it('adds members by username or by user id, and answers 409 for a second role in the same tenant', async () => {
      const byName = await as<MemberView>('olive', 'POST', `/tenants/${a}/members`, { username: name('adam'), role: 'admin' });
      expect(byName.status).toBe(201);
      expect(byName.body).toMatchObject({ userId: ids['adam'], username: name('adam'), role: 'admin' });
      const byId = await as<MemberView>('olive', 'POST', `/tenants/${a}/members`, { userId: ids['vera'], role: 'viewer' });
      expect(byId.status).toBe(201);
      expect(byId.body).toMatchObject({ userId: ids['vera'], username: name('vera'), role: 'viewer' });
      expectProblem(await as('olive', 'POST', `/tenants/${a}/members`, { userId: ids['vera'], role: 'admin' }), 409);
      const list = await as<Page<MemberView>>('olive', 'GET', `/tenants/${a}/members`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((m) => [m.username, m.role])).toEqual([
        [name('olive'), 'owner'],
        [name('adam'), 'admin'],
        [name('vera'), 'viewer'],
      ]);
    });

    it('refuses a member that is no admin user, or both or neither of userId and username (400 with fields)', async () => {
      const unknown = await as<{ errors: { field: string }[] }>('olive', 'POST', `/tenants/${a}/members`, { username: `ghost-${run}`, role: 'viewer' });
      expectProblem(unknown, 400);
      expect(unknown.body.errors.map((e) => e.field)).toEqual(['username']);
      expectProblem(await as('olive', 'POST', `/tenants/${a}/members`, { role: 'viewer' }), 400);
      expectProblem(await as('olive', 'POST', `/tenants/${a}/members`, { userId: ids['nobody'], username: name('nobody'), role: 'viewer' }), 400);
      expectProblem(await as('olive', 'POST', `/tenants/${a}/members`, { userId: ids['nobody'], role: 'superuser' }), 400);
    });

    it('changes a role, and removes a member, with an audit event for each change', async () => {
      const up = await as<MemberView>('olive', 'PATCH', `/tenants/${a}/members/${ids['nobody']}`, { role: 'admin' });
      expectProblem(up, 404);
      expect((await as('olive', 'POST', `/tenants/${a}/members`, { userId: ids['nobody'], role: 'viewer' })).status).toBe(201);
      const changed = await as<MemberView>('olive', 'PATCH', `/tenants/${a}/members/${ids['nobody']}`, { role: 'admin' });
      expect(changed.status).toBe(200);
      expect(changed.body.role).toBe('admin');
      expect((await as('olive', 'DELETE', `/tenants/${a}/members/${ids['nobody']}`)).status).toBe(204);
      expectProblem(await as('olive', 'DELETE', `/tenants/${a}/members/${ids['nobody']}`), 404);
      const audit = await as<Page<{ action: string; target: { id: string | null }; details: Record<string, unknown> }>>(
        'olive',
        'GET',
        `/tenants/${a}/audit-events?targetId=${ids['nobody']}&limit=200`,
      );
      expect(audit.status).toBe(200);
      expect(audit.body.items.map((e) => e.action).sort()).toEqual(['member.added', 'member.removed', 'member.role_changed']);
      expect(audit.body.items.find((e) => e.action === 'member.role_changed')!.details).toMatchObject({ role: 'admin', previousRole: 'viewer' });
    });

    it('never leaves a tenant without an owner: the last owner can be neither removed nor demoted (409)', async () => {
      expectProblem(await as('olive', 'DELETE', `/tenants/${a}/members/${ids['olive']}`), 409);
      expectProblem(await as('olive', 'PATCH', `/tenants/${a}/members/${ids['olive']}`, { role: 'admin' }), 409);
      expect((await as('olive', 'PATCH', `/tenants/${a}/members/${ids['adam']}`, { role: 'owner' })).status).toBe(200);
      // With two owners one may step down; then the other is the last one again.
      expect((await as('olive', 'PATCH', `/tenants/${a}/members/${ids['adam']}`, { role: 'admin' })).status).toBe(200);
      expectProblem(await as('olive', 'PATCH', `/tenants/${a}/members/${ids['olive']}`, { role: 'viewer' }), 409);
      const list = await as<Page<MemberView>>('olive', 'GET', `/tenants/${a}/members`);
      expect(list.body.items.filter((m) => m.role === 'owner').map((m) => m.userId)).toEqual([ids['olive']]);
    });

    it('gives tenant admin owners only: a lesser role there would reach every tenant (400)', async () => {
      const res = await admin.request<{ errors: { field: string }[] }>('POST', '/tenants/admin/members', { userId: ids['nobody'], role: 'admin' });
      expectProblem(res, 400);
      expect(res.body.errors.map((e) => e.field)).toEqual(['role']);
    });
  });

  describe('per-tenant roles', () => {
    it('lets a viewer read but not change: 403 creating or patching a client, 403 on members', async () => {
      const list = await as<Page<{ clientId: string }>>('vera', 'GET', `/tenants/${a}/clients`);
      expect(list.status).toBe(200);
      const account = list.body.items.find((cl) => cl.clientId === 'account');
      expect(account).toBeDefined();
      expect((await as('vera', 'GET', `/tenants/${a}/clients/account`)).status).toBe(200);
      expect((await as('vera', 'GET', `/tenants/${a}`)).status).toBe(200);
      expect((await as('vera', 'GET', `/tenants/${a}/audit-events`)).status).toBe(200);
      expectProblem(await as('vera', 'POST', `/tenants/${a}/clients`, { name: 'x', type: 'confidential', grantTypes: ['client_credentials'], scopes: [] }), 403);
      expectProblem(await as('vera', 'PATCH', `/tenants/${a}/clients/account`, { name: 'Renamed' }), 403);
      expectProblem(await as('vera', 'PATCH', `/tenants/${a}`, { displayName: 'Renamed' }), 403);
      expectProblem(await as('vera', 'POST', `/tenants/${a}/keys/rotate`), 403);
      expectProblem(await as('vera', 'GET', `/tenants/${a}/members`), 403);
    });

    it('lets an admin change the tenant but not its members nor delete it (403)', async () => {
      const created = await as<{ clientId: string; clientSecret: string }>('adam', 'POST', `/tenants/${a}/clients`, {
        name: 'Made by adam',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: [],
      });
      expect(created.status).toBe(201);
      expect(created.body.clientSecret).toEqual(expect.any(String));
      const patched = await as<{ name: string }>('adam', 'PATCH', `/tenants/${a}/clients/${created.body.clientId}`, { name: 'Renamed by adam' });
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe('Renamed by adam');
      expect((await as('adam', 'PATCH', `/tenants/${a}`, { displayName: 'Tenant A' })).status).toBe(200);
      expectProblem(await as('adam', 'GET', `/tenants/${a}/members`), 403);
      expectProblem(await as('adam', 'POST', `/tenants/${a}/members`, { userId: ids['nobody'], role: 'viewer' }), 403);
      expectProblem(await as('adam', 'PATCH', `/tenants/${a}/members/${ids['vera']}`, { role: 'admin' }), 403);
      expectProblem(await as('adam', 'DELETE', `/tenants/${a}`), 403);
      expect((await as('adam', 'DELETE', `/tenants/${a}/clients/${created.body.clientId}`)).status).toBe(204);
    });

    it('lets a viewer of one tenant own nothing there, though it owns another', async () => {
      expect((await as('olive', 'GET', `/tenants/${b}/clients`)).status).toBe(200);
      expectProblem(await as('olive', 'GET', `/tenants/${b}/members`), 403);
      expectProblem(await as('olive', 'POST', `/tenants/${b}/scopes`, { name: 'x:y', description: 'x' }), 403);
    });

    it('shows each admin user only the tenants where it holds a role', async () => {
      const slugs = async (who: string): Promise<string[]> => {
        const res = await as<Page<{ slug: string }>>(who, 'GET', '/tenants');
        expect(res.status).toBe(200);
        return res.body.items.map((t) => t.slug).sort();
      };
      expect(await slugs('olive')).toEqual([a, b].sort());
      expect(await slugs('adam')).toEqual([a]);
      expect(await slugs('vera')).toEqual([a]);
      expect(await slugs('nobody')).toEqual([]);
    });

    it('answers 404, as for an unknown tenant, where the user holds no role; 403 for creating a tenant', async () => {
      for (const path of [`/tenants/${c}`, `/tenants/${c}/clients`, `/tenants/${c}/members`, `/tenants/admin/users`, `/tenants/nowhere-${run}`]) {
        const res = await as<{ detail: string }>('vera', 'GET', path);
        expectProblem(res, 404);
      }
      expectProblem(await as('vera', 'DELETE', `/tenants/${c}`), 404);
      expectProblem(await as('olive', 'POST', '/tenants', { slug: `roles-olive-${run}`, displayName: 'x' }), 403);
      expect((await admin.request('GET', `/tenants/roles-olive-${run}`)).status).toBe(404);
    });

    it('lets an owner delete its tenant', async () => {
      const doomed = await admin.createTenant('roles-doomed');
      await grant(doomed.slug, 'olive', 'owner');
      expect((await as('olive', 'DELETE', `/tenants/${doomed.slug}`)).status).toBe(204);
      expect((await admin.request('GET', `/tenants/${doomed.slug}`)).status).toBe(404);
    });
  });

  describe('GET /me', () => {
    it('tells the dashboard who is signed in, whether a platform admin, and the role per tenant', async () => {
      const olive = await as<MeView>('olive', 'GET', '/me');
      expect(olive.status).toBe(200);
      expect(olive.body).toMatchObject({ kind: 'user', subject: ids['olive'], clientId: 'dashboard', username: name('olive'), platformAdmin: false });
      expect(olive.body.memberships).toEqual(
        [
          { tenant: a, role: 'owner' },
          { tenant: b, role: 'viewer' },
        ].sort((x, y) => x.tenant.localeCompare(y.tenant)),
      );
      const root = await as<MeView>('root', 'GET', '/me');
      expect(root.body).toMatchObject({ kind: 'user', subject: ids['root'], username: name('root'), platformAdmin: true });
      expect(root.body.memberships).toEqual([{ tenant: 'admin', role: 'owner' }]);
      const nobody = await as<MeView>('nobody', 'GET', '/me');
      expect(nobody.body).toMatchObject({ platformAdmin: false, memberships: [] });
      expectProblem(await admin.request('GET', '/me', undefined, { token: null }), 401);
    });
  });
});

/**
 * The shared test database already holds a bootstrap admin from an earlier run, so the bootstrap
 * admin proper is shown on a database of its own (embedded, under a fresh DATA_DIR).
 */
describe('the bootstrap admin of a fresh database (CONTRACT.md, BOOTSTRAP_ADMIN_EMAIL)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-roles-'));
  const email = 'first@admins.example';
  const env = { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: PASSWORD };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is a platform admin (owner of tenant admin), and stays demoted across a restart once an owner removed that', async () => {
    const first = await startTessera({ embedded: true, env, timeoutMs: 90_000 });
    let bootstrapId: string;
    try {
      const tokens = await dashboardSignIn(first, email);
      expect(tokens.scope!.split(' ')).toContain('platform:admin');
      const token = { token: tokens.access_token };
      const admin = new AdminApi(first);
      const me = await admin.request<MeView>('GET', '/me', undefined, token);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ kind: 'user', username: email, platformAdmin: true, memberships: [{ tenant: 'admin', role: 'owner' }] });
      bootstrapId = me.body.subject;
      const tenant = await admin.request<{ slug: string }>('POST', '/tenants', { slug: 'made-by-first', displayName: 'x' }, token);
      expect(tenant.status).toBe(201);
      // Another platform admin takes the bootstrap admin's role away.
      const other = await admin.request<{ id: string }>('POST', '/tenants/admin/users', { username: 'second@admins.example', password: PASSWORD }, token);
      expect(other.status).toBe(201);
      expect((await admin.request('POST', '/tenants/admin/members', { userId: other.body.id, role: 'owner' }, token)).status).toBe(201);
      expect((await admin.request('DELETE', `/tenants/admin/members/${bootstrapId}`, undefined, token)).status).toBe(204);
    } finally {
      expect(await first.stop('SIGTERM')).toBe(0);
    }
    const second = await startTessera({ embedded: true, env, timeoutMs: 90_000 });
    try {
      await allowDashboardCallbackOnAnyPort(new AdminApi(second));
      const tokens = await dashboardSignIn(second, email);
      expect(tokens.scope!.split(' ')).not.toContain('platform:admin');
      const me = await new AdminApi(second).request<MeView>('GET', '/me', undefined, { token: tokens.access_token });
      expect(me.body).toMatchObject({ subject: bootstrapId, platformAdmin: false, memberships: [] });
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  }, 240_000);
});
