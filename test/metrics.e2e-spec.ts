import { readFile } from 'node:fs/promises';
import { Browser, parseForm } from './support/browser.js';
import { AdminApi, basic, discover, postForm, type Metadata } from './support/oauth-client.js';
import { parsePrometheusText, sampleValue, type MetricFamily } from './support/prometheus-text.js';
import { codeRequest, signIn } from './support/sign-in.js';
import { freePort, startTessera, type TesseraProcess } from './support/tessera-process.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://app.example.com/callback';
const DASHBOARD = new URL('../docs/grafana/tessera-dashboard.json', import.meta.url);

/**
 * Issue 14: GET /metrics on METRICS_PORT, in the Prometheus text format, and its counters follow
 * the traffic. The process labels its domain counters by tenant (METRICS_TENANT_LABEL=true), so the
 * test's fresh tenant isolates exactly the traffic it sends.
 */
describe('Prometheus metrics on METRICS_PORT', () => {
  let server: TesseraProcess;
  let metricsUrl: string;
  let admin: AdminApi;

  beforeAll(async () => {
    const metricsPort = await freePort();
    server = await startTessera({ env: { METRICS_PORT: String(metricsPort), METRICS_TENANT_LABEL: 'true' } });
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    admin = new AdminApi(server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function scrape(): Promise<Map<string, MetricFamily>> {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await res.text());
  }

  it('serves only GET /metrics on the metrics port, and no metrics on the public port', async () => {
    expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(404);
    const base = metricsUrl.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/t/admin/oauth2/token`, { method: 'POST' })).status).toBe(404);
    const post = await fetch(metricsUrl, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('parses as Prometheus text with the process, store and build metrics', async () => {
    const families = await scrape();
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect(families.get(name)?.samples[0]?.value).toBeGreaterThan(0);
    }
    // Event loop lag is measured (it may well be 0 on an idle process).
    expect(families.get('nodejs_eventloop_lag_p99_seconds')?.samples[0]?.value).toBeGreaterThanOrEqual(0);
    expect(families.get('tessera_store_up')?.samples.map((s) => [s.labels['store'], s.value]).sort()).toEqual([
      ['postgresql', 1],
      ['redis', 1],
    ]);
    expect(families.get('tessera_build_info')?.samples[0]?.labels['version']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('moves its counters with the token, introspection, revocation, sign-in and rate-limited traffic a tenant sends', async () => {
    const tenant = await admin.createTenant('metrics');
    const slug = tenant.slug;
    expect((await admin.request('PATCH', `/tenants/${slug}`, { settings: { rateLimits: { tokenPerClient: { max: 3, windowSeconds: 60 } } } })).status).toBe(200);
    await admin.createAda(slug, PASSWORD);
    const service = await admin.createClient(slug);
    const auth = { authorization: basic(service.clientId, service.clientSecret) };
    const meta = await discover(tenant.issuer);
    const before = await scrape();

    // Three tokens, then the fourth over the limit (429); a wrong secret (401).
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postForm<{ access_token: string }>(meta.token_endpoint, { grant_type: 'client_credentials' }, auth);
      expect(res.status).toBe(200);
      tokens.push(res.body.access_token);
    }
    expect((await postForm(meta.token_endpoint, { grant_type: 'client_credentials' }, auth)).status).toBe(429);
    expect((await postForm(meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic(service.clientId, 'wrong') })).status).toBe(401);
    // Introspected live, revoked, introspected again.
    expect((await postForm(meta.introspection_endpoint, { token: tokens[0]! }, auth)).body['active']).toBe(true);
    expect((await postForm(meta.revocation_endpoint, { token: tokens[0]! }, auth)).status).toBe(200);
    expect((await postForm(meta.introspection_endpoint, { token: tokens[0]! }, auth)).body['active']).toBe(false);
    // A wrong password, then a right one through the login form.
    await signInTwice(meta, slug);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    const t = { tenant: slug };
    expect(delta('tessera_tokens_issued_total', { ...t, grant_type: 'client_credentials' })).toBe(3);
    expect(delta('tessera_tokens_issued_total', { ...t, grant_type: 'authorization_code' })).toBe(1);
    expect(delta('tessera_rate_limit_rejections_total', { ...t, limit: 'tokenPerClient' })).toBe(1);
    expect(delta('tessera_token_introspections_total', { ...t, active: 'true' })).toBe(1);
    expect(delta('tessera_token_introspections_total', { ...t, active: 'false' })).toBe(1);
    expect(delta('tessera_token_revocations_total', { ...t, token_type: 'access_token' })).toBe(1);
    expect(delta('tessera_sign_in_attempts_total', { ...t, outcome: 'failure', via: 'login_form' })).toBe(1);
    expect(delta('tessera_sign_in_attempts_total', { ...t, outcome: 'success', via: 'login_form' })).toBe(1);

    // HTTP: per route template and status class, never per path (the tenant slug is no route label).
    const token = { method: 'POST', route: '/t/:tenant/oauth2/token' };
    expect(delta('tessera_http_request_duration_seconds_count', { ...token, status_class: '2xx' })).toBe(4);
    expect(delta('tessera_http_request_duration_seconds_count', { ...token, status_class: '4xx' })).toBe(2);
    expect(delta('tessera_http_request_duration_seconds_bucket', { ...token, status_class: '2xx', le: '+Inf' })).toBe(4);
    const routes = after.get('tessera_http_request_duration_seconds')!.samples.map((s) => s.labels['route']!);
    expect(routes.some((route) => route.includes(slug))).toBe(false);

    // Caches and stores: the client was looked up again (hits), Redis counted the rate limit, PostgreSQL read.
    expect(delta('tessera_cache_lookups_total', { cache: 'client', result: 'hit' })).toBeGreaterThan(0);
    expect(delta('tessera_store_operation_duration_seconds_count', { store: 'redis', operation: 'increment', outcome: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(delta('tessera_store_operation_duration_seconds_count', { store: 'postgresql', operation: 'select', outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('has a Grafana dashboard in docs/ whose queries use only metrics the server exports', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    const exported = new Set<string>();
    for (const family of (await scrape()).values()) {
      exported.add(family.name);
      for (const sample of family.samples) exported.add(sample.name);
    }
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        for (const [name] of target.expr.matchAll(/\b(?:tessera|process|nodejs)_[a-z0-9_]+/g)) used.add(name);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  /** Through the login form: one wrong password, then the right one, and the code exchanged. */
  async function signInTwice(meta: Metadata, slug: string): Promise<void> {
    const web = await admin.createClient(slug, {
      name: 'Web',
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT],
      scopes: ['openid'],
      firstParty: true,
    });
    const browser = new Browser();
    const { url: start, verifier } = codeRequest(meta, { clientId: web.clientId, redirectUri: REDIRECT, scope: 'openid' });
    const { res, url } = await browser.follow(start, server.baseUrl);
    const form = parseForm(await res.text(), url);
    const wrong = await browser.request(form.action, { form: { ...form.fields, username: 'ada', password: 'not the password' } });
    expect(await wrong.text()).toContain('The username or password is wrong.');
    const { location } = await signIn(browser, server.baseUrl, start, { username: 'ada', password: PASSWORD });
    const code = location.searchParams.get('code')!;
    const exchanged = await postForm(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: web.clientId,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
  }
});
