import { AdminApi, clientCredentials } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

interface TokenIssuance {
  day: string;
  hour?: string;
  grantType: string;
  count: number;
}

/** The server adds its in-memory counts to the database every 5 s; wait up to about three rounds. */
const POLL_MS = 15_000;

describe('tokens issued per tenant (admin API: GET /tenants/{slug}/stats/tokens)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;

  beforeAll(async () => {
    server = await startTessera();
    admin = new AdminApi(server);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  async function issue(slug: string, issuer: string, n: number): Promise<void> {
    const client = await admin.createClient(slug);
    for (let i = 0; i < n; i++) {
      const res = await clientCredentials(issuer, { id: client.clientId, secret: client.clientSecret });
      expect(res.status).toBe(200);
    }
  }

  async function stats(slug: string, query = ''): Promise<TokenIssuance[]> {
    const res = await admin.request<{ items: TokenIssuance[] }>('GET', `/tenants/${slug}/stats/tokens${query}`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  const total = (items: TokenIssuance[], grantType: string) =>
    items.filter((i) => i.grantType === grantType).reduce((n, i) => n + i.count, 0);

  async function waitForCount(slug: string, grantType: string, expected: number): Promise<TokenIssuance[]> {
    const deadline = Date.now() + POLL_MS;
    for (;;) {
      const items = await stats(slug);
      if (total(items, grantType) >= expected || Date.now() > deadline) return items;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('counts client_credentials tokens per tenant within seconds, without showing one tenant another\'s counts', async () => {
    const acme = await admin.createTenant('stats-a');
    const globex = await admin.createTenant('stats-b');
    expect(await stats(acme.slug)).toEqual([]);
    await issue(acme.slug, acme.issuer, 3);
    await issue(globex.slug, globex.issuer, 1);

    const items = await waitForCount(acme.slug, 'client_credentials', 3);
    expect(total(items, 'client_credentials')).toBe(3);
    const today = new Date().toISOString().slice(0, 10);
    for (const item of items) {
      expect(item.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(item.day <= today).toBe(true);
      expect(item).not.toHaveProperty('hour');
    }

    const other = await waitForCount(globex.slug, 'client_credentials', 1);
    expect(other.map(({ grantType, count }) => ({ grantType, count }))).toEqual([{ grantType: 'client_credentials', count: 1 }]);
    // Still 3: tenant B's token and the admin API's own tokens are counted elsewhere.
    expect(total(await stats(acme.slug), 'client_credentials')).toBe(3);
  }, 60_000);

  it('answers by hour on request', async () => {
    const tenant = await admin.createTenant('stats-h');
    await issue(tenant.slug, tenant.issuer, 2);
    await waitForCount(tenant.slug, 'client_credentials', 2);
    const hourly = await stats(tenant.slug, '?granularity=hour&days=1');
    expect(total(hourly, 'client_credentials')).toBe(2);
    for (const item of hourly) {
      expect(item.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
      expect(item.hour!.slice(0, 10)).toBe(item.day);
    }
  }, 60_000);

  it('rejects a window outside 1 to 90 days and an unknown granularity with 400, and an unknown tenant with 404', async () => {
    const tenant = await admin.createTenant('stats-v');
    for (const query of ['?days=0', '?days=91', '?days=abc', '?granularity=minute']) {
      const res = await admin.request('GET', `/tenants/${tenant.slug}/stats/tokens${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await admin.request('GET', `/tenants/${tenant.slug}/stats/tokens?days=90`)).status).toBe(200);
    expect((await admin.request('GET', '/tenants/no-such-tenant/stats/tokens')).status).toBe(404);
  });
});
