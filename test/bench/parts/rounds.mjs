// One interleaved round: minimal → Tessera → node-oidc-provider, each server alone on the server
// core, every selected scenario in turn. Ratios are computed within a round (report.mjs).
import { codeFlow, flowFixtures, refreshGrant, signInFlow } from '../flows.mjs';
import { log } from '../lib/bench.mjs';
import { rssMb } from '../lib/procs.mjs';
import { AdminApi } from '../lib/seed.mjs';
import * as S from '../scenarios.mjs';

export const CONNECTIONS = [1, 16, 64];

/** The scenarios every server that has them runs; `clients`: this server's clients. */
async function common(bench, kind, server, clients, out) {
  const label = kind;
  const base = server.base;
  for (const c of CONNECTIONS) {
    if (bench.wanted(`cc${c}`, kind)) out[`cc${c}`] = await bench.measure(label, S.clientCredentials(kind, base, clients.service, c), [server]);
  }
  if (bench.wanted('introspect', kind)) {
    const live = await S.issueToken(kind, base, clients.service, kind === 'oidc-provider');
    out.introspect = await bench.measure(label, S.introspection(kind, base, clients.service, live, 16), [server]);
  }
  if (bench.wanted('revoke', kind)) out.revoke = await bench.measure(label, S.revokeThenIntrospect(kind, base, clients.service, 16), [server]);
  if (kind === 'minimal' || !['flow', 'signin', 'refresh'].some((k) => bench.wanted(k, kind))) return;
  const fixtures = await flowFixtures(kind, base, clients);
  if (bench.wanted('flow', kind)) out.flow = await bench.measure(label, codeFlow(kind, base, clients.web, fixtures.cookie, 16), [server]);
  if (bench.wanted('signin', kind)) out.signin = await bench.measure(label, signInFlow(kind, base, clients.web, 16), [server]);
  if (bench.wanted('refresh', kind)) out.refresh = await bench.measure(label, refreshGrant(kind, base, clients.refresh, fixtures.seedRefresh, 16), [server]);
}

export async function runRound(bench, round, tesseraClients, minimalDatabase) {
  log(`round ${round}/${bench.config.rounds}`);
  const r = { round, results: { minimal: {}, tessera: {}, 'oidc-provider': {} }, tesseraOnly: {}, rss: {} };
  const opClients = { service: bench.client, ...bench.opClients };

  if (['cc1', 'cc16', 'cc64', 'introspect', 'revoke'].some((k) => bench.wanted(k, 'minimal'))) {
    const minimal = await bench.startMinimal({ database: minimalDatabase });
    await common(bench, 'minimal', minimal, { service: bench.client }, r.results.minimal);
    r.rss.minimal = await bench.stop(minimal);
  }

  const tesseraKeys = ['cc1', 'cc16', 'cc64', 'introspect', 'revoke', 'flow', 'signin', 'refresh', 'password', 'list'];
  if (tesseraKeys.some((k) => bench.wanted(k, 'tessera'))) await tesseraPart(bench, tesseraClients, r);

  if (['cc1', 'cc16', 'cc64', 'introspect', 'revoke', 'flow', 'signin', 'refresh'].some((k) => bench.wanted(k, 'oidc-provider'))) {
    const op = await bench.startOidcProvider();
    await common(bench, 'oidc-provider', op, opClients, r.results['oidc-provider']);
    r.rss['oidc-provider'] = await bench.stop(op);
  }
  const rss = Object.fromEntries(Object.entries(r.rss).map(([k, v]) => [k, Math.round(v)]));
  log(`round ${round}: RSS after the run (MB) ${JSON.stringify(rss)}${r.tesseraLoadSeconds ? `, tessera under load ${r.tesseraLoadSeconds.toFixed(0)} s` : ''}`);
  return r;
}

async function tesseraPart(bench, tesseraClients, r) {
  const { config } = bench;
  if (bench.wanted('password') || bench.wanted('signin')) r.tesseraOnly.argon2 = bench.argon2Rate();
  const tessera = await bench.startTessera();
  r.rssAtStart = { tessera: rssMb(tessera.pid) };
  const t0 = Date.now();
  await common(bench, 'tessera', tessera, tesseraClients, r.results.tessera);
  if (bench.wanted('password')) r.tesseraOnly.password = await bench.measure('tessera', S.passwordGrant(tessera.base, tesseraClients.legacy, 16), [tessera]);
  if (bench.wanted('list')) {
    const token = await new AdminApi(tessera.base, bench.bootstrap).accessToken();
    const { cursors, items } = await S.listCursors(tessera.base, token);
    if (items < config.listClients) throw new Error(`the list tenant has ${items} clients, expected ${config.listClients} and its built-in one`);
    r.tesseraOnly.listFirst = await bench.measure('tessera', S.adminList(tessera.base, token, 16), [tessera]);
    r.tesseraOnly.listWalk = await bench.measure('tessera', S.adminList(tessera.base, token, 16, cursors), [tessera]);
  }
  r.tesseraLoadSeconds = (Date.now() - t0) / 1000;
  r.rss.tessera = await bench.stop(tessera);
}
