import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Browser, parseForm } from './support/browser.js';
import { AdminApi, basic, discover, postForm } from './support/oauth-client.js';
import { codeRequest } from './support/sign-in.js';
import { freePort, startTessera, type TesseraProcess } from './support/tessera-process.js';

const HAPROXY = '/usr/sbin/haproxy';
/** HAProxy connects to the servers from this address; the servers trust X-Forwarded-For from it alone. */
const PROXY_SOURCE = '127.0.0.2';
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://app.example.com/callback';

interface Balancer {
  url: string;
  statsUrl: string;
  child: ChildProcess;
  output: () => string;
  dir: string;
}

/** HAProxy (Debian's) in front of the servers, round-robin, health-checking /readyz every 300 ms. */
async function startHaproxy(servers: TesseraProcess[], frontPort: number): Promise<Balancer> {
  const statsPort = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'tessera-haproxy-'));
  const config = [
    'global',
    '  maxconn 512',
    'defaults',
    '  mode http',
    '  option forwardfor',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 2',
    'frontend public',
    `  bind 127.0.0.1:${frontPort}`,
    '  default_backend tessera',
    'backend tessera',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server inter 300ms fall 2 rise 2 source ${PROXY_SOURCE}`,
    ...servers.map((server, i) => `  server s${i} 127.0.0.1:${server.port} check`),
    'listen stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  const child = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const balancer = { url: `http://127.0.0.1:${frontPort}`, statsUrl: `http://127.0.0.1:${statsPort}/stats;csv`, child, output: () => output, dir };
  // Up once HAProxy reports every server UP (it starts them as up, then checks: wait for the checks).
  for (let i = 0; i < 100; i++) {
    const states = await serverStates(balancer).catch(() => null);
    if (states && Object.values(states).length === servers.length && Object.values(states).every((s) => s === 'UP')) return balancer;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`HAProxy did not come up with every server UP:\n${output}`);
}

/** Server name → status (UP, DOWN, ...) from HAProxy's CSV statistics. */
async function serverStates(balancer: Balancer): Promise<Record<string, string>> {
  const csv = await (await fetch(balancer.statsUrl)).text();
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  const [pxname, svname, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
  const states: Record<string, string> = {};
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[pxname!] === 'tessera' && /^s\d$/.test(cells[svname!]!)) states[cells[svname!]!] = cells[status!]!;
  }
  return states;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Issue 14, "behind a real load balancer": three server processes on one PostgreSQL and one Redis
 * behind HAProxy. A browser's sign-in, consent and code exchange land on different processes and
 * work; the client address reaches the servers through X-Forwarded-For (TRUST_PROXY names the
 * balancer only); one process stopped with SIGTERM under load drains while HAProxy's health check
 * takes it out, and no request fails.
 */
describe('three server processes behind HAProxy', () => {
  let servers: TesseraProcess[] = [];
  let balancer: Balancer | undefined;
  let admin: AdminApi;

  beforeAll(async () => {
    const frontPort = await freePort();
    const publicUrl = `http://127.0.0.1:${frontPort}`;
    servers = await Promise.all(
      [0, 1, 2].map(() =>
        startTessera({
          env: { PUBLIC_URL: publicUrl, LOG_LEVEL: 'info', TRUST_PROXY: PROXY_SOURCE, SHUTDOWN_DRAIN_SECONDS: '3' },
          timeoutMs: 60_000,
        }),
      ),
    );
    balancer = await startHaproxy(servers, frontPort);
    // The admin API, as an operator reaches it: through the balancer.
    admin = new AdminApi({ ...servers[0]!, baseUrl: balancer.url, issuer: (tenant: string) => `${publicUrl}/t/${tenant}` });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    balancer?.child.kill('SIGTERM');
    if (balancer) await rm(balancer.dir, { recursive: true, force: true });
  });

  /** Which server process logged the request with this id (its access-log line). */
  async function servedBy(requestId: string): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const index = servers.findIndex((server) => server.output().includes(`"reqId":"${requestId}"`));
      if (index >= 0) return index;
      await sleep(50);
    }
    throw new Error(`no server logged request ${requestId}`);
  }

  it('runs a sign-in, consent and code exchange spread over different processes', async () => {
    const tenant = await admin.createTenant('lb');
    await admin.createAda(tenant.slug, PASSWORD);
    const web = await admin.createClient(tenant.slug, {
      name: 'Web shop',
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: [REDIRECT],
      scopes: ['openid', 'profile'],
    });
    const meta = await discover(tenant.issuer);
    expect(meta.issuer).toBe(`${balancer!.url}/t/${tenant.slug}`);
    const browser = new Browser();
    const { url: start, verifier } = codeRequest(meta, { clientId: web.clientId, redirectUri: REDIRECT, scope: 'openid profile', state: 'lb-state' });

    const login = await browser.follow(start, balancer!.url);
    const loginForm = parseForm(await login.res.text(), login.url);
    const consent = await browser.follow(loginForm.action, balancer!.url, { form: { ...loginForm.fields, username: 'ada', password: PASSWORD } });
    const consentHtml = await consent.res.text();
    expect(consentHtml).toContain('name="decision"');
    const loginPostId = browser.requestIds[browser.requestIds.length - 2]!;
    const consentForm = parseForm(consentHtml, consent.url);
    const back = await browser.request(consentForm.action, { form: { ...consentForm.fields, decision: 'allow' } });
    const consentPostId = browser.requestIds.at(-1)!;
    const location = new URL(back.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('lb-state');

    const exchanged = await postForm<{ access_token: string; id_token: string }>(meta.token_endpoint, {
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      client_id: web.clientId,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.id_token).toEqual(expect.any(String));

    const steps = {
      login: await servedBy(loginPostId),
      consent: await servedBy(consentPostId),
      exchange: await servedBy(exchanged.headers.get('x-request-id')!),
    };
    // Round robin: the steps of one sign-in meet different processes, which share sessions,
    // interactions and codes through Redis and PostgreSQL.
    expect(new Set(Object.values(steps)).size).toBeGreaterThanOrEqual(2);
    const everyRequest = await Promise.all(browser.requestIds.map(servedBy));
    expect(new Set(everyRequest).size).toBe(3);
  });

  it('sees the client address through X-Forwarded-For from the balancer only, never one the client made up', async () => {
    const res = await fetch(`${balancer!.url}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id')!;
    const server = servers[await servedBy(id)]!;
    const line = server.output().split('\n').find((l) => l.includes(`"reqId":"${id}"`) && l.includes('request completed'))!;
    // The test connects from 127.0.0.1; HAProxy from 127.0.0.2 adds that address; the spoofed one is ignored.
    expect(JSON.parse(line).req.ip).toBe('127.0.0.1');
  });

  it('loses no request while one process drains on SIGTERM and HAProxy takes it out', async () => {
    const tenant = await admin.createTenant('lb-drain');
    const client = await admin.createClient(tenant.slug);
    const { token_endpoint } = await discover(tenant.issuer);
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    const outcomes: Array<{ status: number | 'error'; id: string | null; at: number }> = [];
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const res = await postForm(token_endpoint, { grant_type: 'client_credentials' }, auth);
          outcomes.push({ status: res.status, id: res.headers.get('x-request-id'), at: Date.now() });
        } catch {
          outcomes.push({ status: 'error', id: null, at: Date.now() });
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    await sleep(1_500);

    const leaving = servers[2]!;
    const signalledAt = Date.now();
    const exited = leaving.stop('SIGTERM');
    // Draining: not ready any more, but still answering, and closing each connection after its answer.
    await sleep(200);
    const ready = await fetch(`${leaving.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining' });
    const direct = await postForm(token_endpoint.replace(balancer!.url, leaving.baseUrl), { grant_type: 'client_credentials' }, auth);
    expect(direct.status).toBe(200);
    expect(direct.headers.get('connection')).toBe('close');

    expect(await exited).toBe(0);
    const states = await serverStates(balancer!);
    expect(states['s2']).toMatch(/^DOWN/);
    await sleep(1_000);
    running = false;
    await load;

    expect(outcomes.filter((o) => o.status !== 200)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(50);
    // The leaving process answered requests after SIGTERM (the drain), and the others took over.
    const late = outcomes.filter((o) => o.at > signalledAt + 100);
    const servedLate = await Promise.all(late.map((o) => servedBy(o.id!)));
    expect(servedLate).toContain(2);
    expect(servedLate.slice(-10).every((index) => index !== 2)).toBe(true);
    expect(leaving.output()).toContain('"msg":"shutting down"');
  });
});
