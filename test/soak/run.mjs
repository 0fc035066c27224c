#!/usr/bin/env node
// `npm run soak`: a bounded soak of one Tessera process on the real PostgreSQL and Redis, loopback
// only. It holds a steady load of mixed flows at a fixed concurrency, checks every response, samples
// the server's RSS, and fails (exit 1) on any error, on an error logged by the server, or on memory
// growth after warm-up. Figures go to stdout and to the "Soak" section of docs/performance.md.
//
// Environment (all optional):
//   SOAK_SECONDS=180          length of the measured load (warm-up included)
//   SOAK_WARMUP_SECONDS=      warm-up excluded from the memory verdict (default: a quarter, 15..60 s)
//   SOAK_CONCURRENCY=16       flows in flight at any time
//   SOAK_SAMPLE_SECONDS=3     RSS sampling interval
//   SOAK_MAX_SLOPE_MB_PER_MIN=3  and  SOAK_MAX_GROWTH_MB=32: memory fails only if, after warm-up,
//                             the RSS trend exceeds the slope AND the last third's mean exceeds the
//                             first third's by the growth (so GC noise alone never fails a run)
//   SOAK_DOCS=1               update docs/performance.md (0: stdout only)
//   DATABASE_URL / REDIS_URL  default postgres://postgres@127.0.0.1:5432/test, redis://127.0.0.1:6379
//   SOAK_BUILD=auto|always|never  build the server first (auto: when dist/server is missing)
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URLSearchParams } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'dist/server/apps/server/src/main.js');
const DOC = path.join(ROOT, 'docs/performance.md');
const env = process.env;
const SECONDS = Number(env.SOAK_SECONDS ?? 180);
const CONFIG = {
  seconds: SECONDS,
  warmup: Number(env.SOAK_WARMUP_SECONDS ?? Math.min(60, Math.max(15, Math.round(SECONDS / 4)))),
  concurrency: Number(env.SOAK_CONCURRENCY ?? 16),
  sampleSeconds: Number(env.SOAK_SAMPLE_SECONDS ?? 3),
  maxSlope: Number(env.SOAK_MAX_SLOPE_MB_PER_MIN ?? 3),
  maxGrowth: Number(env.SOAK_MAX_GROWTH_MB ?? 32),
  docs: env.SOAK_DOCS !== '0',
  databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  build: env.SOAK_BUILD ?? 'auto',
};
const PASSWORD = 'soak password long enough';
const REDIRECT = 'https://app.example/cb';
const FORM = 'application/x-www-form-urlencoded';
/** Weights of the flows each worker picks from. */
const FLOWS = { client_credentials: 3, introspection: 3, revocation: 1, code_flow: 1, refresh: 2, admin_read: 1 };

const log = (line) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The server process

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer() {
  if (CONFIG.build === 'always' || (CONFIG.build === 'auto' && !existsSync(ENTRY))) {
    log('soak: building the server');
    const built = spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build failed');
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const client = { id: `soak-${randomBytes(6).toString('hex')}`, secret: randomBytes(32).toString('base64url') };
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      PUBLIC_URL: base,
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      BOOTSTRAP_CLIENT_ID: client.id,
      BOOTSTRAP_CLIENT_SECRET: client.secret,
      DATABASE_URL: CONFIG.databaseUrl,
      REDIS_URL: CONFIG.redisUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep only what matters of the output: error-level log lines and the tail.
  const serverErrors = [];
  let tail = '';
  const onOutput = (chunk) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) {
      if (/"level":(50|60)/.test(line) && serverErrors.length < 20) serverErrors.push(line.slice(0, 500));
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  let exitCode;
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`tessera exited with ${exitCode}:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tessera did not come up:\n${tail}`);
    }
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {
    base,
    pid: child.pid,
    bootstrap: client,
    serverErrors,
    tail: () => tail,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    if (Number.isFinite(kb)) return kb / 1024;
  } catch {
    // not Linux: ask ps
  }
  const out = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout;
  return Number(out.trim()) / 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// HTTP helpers: every response is checked; a failed check throws.

class CheckError extends Error {}

function basic(id, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function call(url, init = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new CheckError(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 200)}`);
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A cookie jar of one simulated browser (all cookies live under the tenant's path). */
class Jar {
  cookies = new Map();
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (/max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
}

function parseForm(html) {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  const fields = {};
  for (const input of html.match(/<input[^>]*>/gi) ?? []) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = (/value="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&');
  }
  if (!action) throw new CheckError('a page without a form');
  return { action, fields };
}

// ---------------------------------------------------------------------------------------------
// Set-up through the admin API, as an operator would

async function setUp(server) {
  const tokenRes = await call(`${server.base}/t/admin/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basic(server.bootstrap.id, server.bootstrap.secret) },
    body: 'grant_type=client_credentials',
  });
  expectStatus(tokenRes, 200, 'admin token');
  const adminToken = tokenRes.json().access_token;
  const admin = async (method, p, body) => {
    const res = await call(`${server.base}/admin/api/v1${p}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`admin ${method} ${p}: ${res.status} ${res.text}`);
    return res.text ? res.json() : null;
  };
  const slug = `soak-${randomBytes(4).toString('hex')}`;
  await admin('POST', '/tenants', { slug, displayName: 'Soak' });
  await admin('POST', `/tenants/${slug}/scopes`, { name: 'api:read' });
  await admin('POST', `/tenants/${slug}/users`, { username: 'soak', password: PASSWORD });
  const client = await admin('POST', `/tenants/${slug}/clients`, {
    name: 'Soak web',
    type: 'confidential',
    grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    scopes: ['offline_access', 'api:read'],
  });
  const issuer = `${server.base}/t/${slug}`;
  const meta = (await call(`${issuer}/.well-known/openid-configuration`)).json();
  return { slug, issuer, meta, admin, adminToken, client: { id: client.clientId, secret: client.clientSecret } };
}

// ---------------------------------------------------------------------------------------------
// The flows

function flows(ctx) {
  const auth = basic(ctx.client.id, ctx.client.secret);
  const post = (url, body) => call(url, { method: 'POST', headers: { 'content-type': FORM, authorization: auth }, body: new URLSearchParams(body).toString() });

  async function clientCredentials() {
    const res = await post(ctx.meta.token_endpoint, { grant_type: 'client_credentials', scope: 'api:read' });
    expectStatus(res, 200, 'client_credentials');
    const body = res.json();
    if (typeof body.access_token !== 'string' || body.token_type !== 'Bearer') throw new CheckError('client_credentials: no bearer token');
    return body.access_token;
  }

  async function introspect(token, active) {
    const res = await post(ctx.meta.introspection_endpoint, { token, token_type_hint: 'access_token' });
    expectStatus(res, 200, 'introspection');
    if (res.json().active !== active) throw new CheckError(`introspection: expected active=${active}, got ${res.text.slice(0, 200)}`);
  }

  /** One authorization round trip; signs in and consents when the browser has no session yet. */
  async function authorize(jar) {
    const { verifier, challenge } = pkce();
    const state = randomBytes(8).toString('hex');
    const url = new URL(ctx.meta.authorization_endpoint);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: ctx.client.id, redirect_uri: REDIRECT, scope: 'offline_access api:read', state, code_challenge: challenge, code_challenge_method: 'S256' })) {
      url.searchParams.set(k, v);
    }
    let res = await call(url.toString(), { headers: { cookie: jar.header() } });
    jar.take(res);
    for (let step = 0; step < 4; step++) {
      if (res.status !== 303 && res.status !== 302) throw new CheckError(`authorize: ${res.status} ${res.text.slice(0, 200)}`);
      const location = new URL(res.headers.get('location'), url);
      if (location.href.startsWith(REDIRECT)) {
        if (location.searchParams.get('state') !== state || location.searchParams.get('iss') !== ctx.issuer) throw new CheckError('authorize: state or iss wrong');
        const code = location.searchParams.get('code');
        if (!code) throw new CheckError(`authorize: no code (${location.search})`);
        return { code, verifier, signedIn: step > 0 };
      }
      const page = await call(location.href, { headers: { cookie: jar.header() } });
      jar.take(page);
      expectStatus(page, 200, 'interaction page');
      const form = parseForm(page.text);
      const fields = page.text.includes('name="password"') ? { ...form.fields, username: 'soak', password: PASSWORD } : { ...form.fields, decision: 'allow' };
      res = await call(new URL(form.action, location).href, { method: 'POST', headers: { 'content-type': FORM, cookie: jar.header() }, body: new URLSearchParams(fields).toString() });
      jar.take(res);
    }
    throw new CheckError('authorize: too many steps');
  }

  async function redeem(code, verifier) {
    const res = await post(ctx.meta.token_endpoint, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    expectStatus(res, 200, 'code redemption');
    const body = res.json();
    if (!body.access_token || !body.refresh_token) throw new CheckError('code redemption: tokens missing');
    return body;
  }

  return {
    clientCredentials,
    authorize,
    redeem,
    /** Each flow: the requests it made, by kind. */
    async run(name, worker) {
      switch (name) {
        case 'client_credentials':
          await clientCredentials();
          return ['token'];
        case 'introspection':
          await introspect(worker.liveToken, true);
          return ['introspect'];
        case 'revocation': {
          const token = await clientCredentials();
          expectStatus(await post(ctx.meta.revocation_endpoint, { token, token_type_hint: 'access_token' }), 200, 'revocation');
          await introspect(token, false);
          return ['token', 'revoke', 'introspect'];
        }
        case 'code_flow': {
          // A remembered session and consent: straight back to the client with a code.
          const { code, verifier, signedIn } = await authorize(worker.jar);
          if (signedIn) throw new CheckError('code flow: the session or the consent was not remembered');
          worker.refreshToken = (await redeem(code, verifier)).refresh_token;
          return ['authorize', 'token'];
        }
        case 'refresh': {
          const res = await post(ctx.meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: worker.refreshToken });
          expectStatus(res, 200, 'refresh');
          const body = res.json();
          if (!body.refresh_token || body.refresh_token === worker.refreshToken) throw new CheckError('refresh: not rotated');
          if (body.scope !== undefined && !body.scope.split(' ').every((s) => ['offline_access', 'api:read'].includes(s))) throw new CheckError('refresh: scope widened');
          worker.refreshToken = body.refresh_token;
          return ['token'];
        }
        case 'admin_read': {
          const paths = [`/tenants/${ctx.slug}`, `/tenants/${ctx.slug}/clients?limit=20`, `/tenants/${ctx.slug}/audit-events?limit=20`, `/tenants/${ctx.slug}/users?limit=20`];
          const res = await call(`${ctx.base}/admin/api/v1${paths[worker.adminTurn++ % paths.length]}`, { headers: { authorization: `Bearer ${ctx.adminToken}` } });
          expectStatus(res, 200, 'admin read');
          res.json();
          return ['admin'];
        }
        default:
          throw new Error(`unknown flow ${name}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Figures

function slopePerMinute(samples) {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.t, 0) / n;
  const my = samples.reduce((s, p) => s + p.mb, 0) / n;
  const num = samples.reduce((s, p) => s + (p.t - mx) * (p.mb - my), 0);
  const den = samples.reduce((s, p) => s + (p.t - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const percentile = (xs, p) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const r1 = (x) => Math.round(x * 10) / 10;

function updateDocs(markdown) {
  const begin = '<!-- soak:begin (written by `npm run soak`) -->';
  const end = '<!-- soak:end -->';
  const block = `${begin}\n${markdown.trim()}\n${end}\n`;
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Performance\n';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) doc = doc.slice(0, i) + block + doc.slice(j + end.length).replace(/^\n/, '');
  else doc = `${doc.trimEnd()}\n\n${block}`;
  writeFileSync(DOC, doc);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  log(`soak: ${CONFIG.seconds} s (warm-up ${CONFIG.warmup} s), concurrency ${CONFIG.concurrency}, RSS every ${CONFIG.sampleSeconds} s`);
  const server = await startServer();
  const samples = [];
  const requests = {};
  const latencies = {};
  const flowCounts = {};
  const errors = [];
  let errorCount = 0;
  let stopping = false;
  let exitCode;
  try {
    const ctx = { ...(await setUp(server)), base: server.base };
    const f = flows(ctx);
    // Each worker is one browser with a session, a refresh-token chain and a live access token.
    const workers = [];
    for (let i = 0; i < CONFIG.concurrency; i++) {
      const jar = new Jar();
      const first = await f.authorize(jar);
      const tokens = await f.redeem(first.code, first.verifier);
      workers.push({ jar, refreshToken: tokens.refresh_token, liveToken: await f.clientCredentials(), adminTurn: i });
    }
    const schedule = Object.entries(FLOWS).flatMap(([name, weight]) => Array(weight).fill(name));
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ t: (Date.now() - started) / 1000, mb: rssMb(server.pid) }), CONFIG.sampleSeconds * 1000);
    samples.push({ t: 0, mb: rssMb(server.pid) });
    let lastReport = started;
    await Promise.all(
      workers.map(async (worker, i) => {
        let turn = i;
        while (!stopping && Date.now() - started < CONFIG.seconds * 1000) {
          const name = schedule[turn++ % schedule.length];
          const t0 = performance.now();
          try {
            const kinds = await f.run(name, worker);
            for (const k of kinds) requests[k] = (requests[k] ?? 0) + 1;
            flowCounts[name] = (flowCounts[name] ?? 0) + 1;
            (latencies[name] ??= []).push(performance.now() - t0);
          } catch (error) {
            errorCount++;
            if (errors.length < 10) errors.push(`${name}: ${error.message}`);
            // A broken chain would fail every later refresh: start a fresh one.
            if (name === 'refresh' || name === 'code_flow') {
              try {
                const again = await f.authorize(worker.jar);
                worker.refreshToken = (await f.redeem(again.code, again.verifier)).refresh_token;
              } catch {
                // counted above
              }
            }
          }
          if (i === 0 && Date.now() - lastReport >= 15_000) {
            lastReport = Date.now();
            const total = Object.values(requests).reduce((a, b) => a + b, 0);
            log(`soak: ${Math.round((Date.now() - started) / 1000)} s, ${total} requests, ${errorCount} errors, RSS ${r1(samples.at(-1).mb)} MB`);
          }
        }
      }),
    );
    clearInterval(sampler);
    samples.push({ t: (Date.now() - started) / 1000, mb: rssMb(server.pid) });
    const elapsed = (Date.now() - started) / 1000;
    if ((await fetch(`${server.base}/healthz`)).status !== 200) {
      errorCount++;
      errors.push('healthz failed after the run');
    }

    // Memory verdict over the samples after warm-up.
    const after = samples.filter((s) => s.t >= CONFIG.warmup);
    const third = Math.max(1, Math.floor(after.length / 3));
    const slope = slopePerMinute(after);
    const growth = mean(after.slice(-third).map((s) => s.mb)) - mean(after.slice(0, third).map((s) => s.mb));
    const memoryFlat = !(slope > CONFIG.maxSlope && growth > CONFIG.maxGrowth);
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    const serverErrorLines = server.serverErrors.length;
    const ok = errorCount === 0 && serverErrorLines === 0 && memoryFlat && after.length >= 3;

    const rows = Object.keys(FLOWS).map(
      (name) => `| ${name.replace('_', ' ')} | ${flowCounts[name] ?? 0} | ${r1(percentile(latencies[name] ?? [], 50))} | ${r1(percentile(latencies[name] ?? [], 99))} |`,
    );
    const markdown = [
      '## Soak',
      '',
      'A bounded soak (`npm run soak`, `test/soak/run.mjs`): one Tessera process on the real PostgreSQL',
      'and Redis, loopback only, a fixed number of flows in flight for the whole run, every response',
      'checked (status, body, `active` after revocation, rotation of refresh tokens, a remembered session',
      'and consent in the code flow). It fails on any error, on any error-level line the server logs, or',
      `when, after warm-up, RSS grows faster than ${CONFIG.maxSlope} MB/min and by more than ${CONFIG.maxGrowth} MB`,
      '(last third against first third of the samples). Separate from the benchmark above: this measures',
      'stability, not speed; the numbers below come from a machine that was also running other work.',
      '',
      `Last run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}),`,
      `${Math.round(elapsed)} s of load (first ${CONFIG.warmup} s warm-up), concurrency ${CONFIG.concurrency}.`,
      '',
      '| flow | completed | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: |',
      ...rows,
      '',
      `Requests by kind: ${Object.entries(requests).map(([k, v]) => `${k} ${v}`).join(', ')}; total ${total} (${Math.round(total / elapsed)}/s).`,
      `Errors: ${errorCount} in the checks, ${serverErrorLines} error lines in the server log.`,
      `RSS (MB): start ${r1(samples[0].mb)}, after warm-up min ${r1(Math.min(...after.map((s) => s.mb)))}, max ${r1(Math.max(...after.map((s) => s.mb)))},`,
      `end ${r1(samples.at(-1).mb)}; slope after warm-up ${r1(slope)} MB/min, growth ${r1(growth)} MB (${after.length} samples).`,
      `Verdict: ${ok ? 'pass' : 'FAIL'}.`,
    ].join('\n');
    log('');
    log(markdown);
    if (errors.length > 0) log(`\nfirst errors:\n  ${errors.join('\n  ')}`);
    if (serverErrorLines > 0) log(`\nserver error lines:\n  ${server.serverErrors.join('\n  ')}`);
    if (CONFIG.docs) {
      updateDocs(markdown);
      log(`\nsoak: updated ${path.relative(ROOT, DOC)}`);
    }
    exitCode = ok ? 0 : 1;
    await ctx.admin('DELETE', `/tenants/${ctx.slug}`).catch(() => undefined);
  } catch (error) {
    log(`soak: ${error.stack ?? error.message}\n${server.tail()}`);
    exitCode = 1;
  } finally {
    stopping = true;
    const code = await server.stop();
    if (code !== 0) {
      log(`soak: the server exited with ${code} on SIGTERM`);
      exitCode = 1;
    }
  }
  process.exit(exitCode);
}

await main();
