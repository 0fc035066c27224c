// 1,000 tenants and 100k clients in the database; a fresh process for each run, the same c16
// client_credentials measurement over one client, one client per tenant, and all clients, each
// after BENCH_SCALE_WARMUP seconds of the same load (the target: a cold process within 10% of the
// one-client rate after 10 s).
import { log } from '../lib/bench.mjs';
import { basic, bulkSecret, seedScale, tableCounts } from '../lib/seed.mjs';
import * as S from '../scenarios.mjs';

export async function scalePart(bench, client) {
  const { config } = bench;
  const { databaseUrl } = bench.datastores;
  log(`scale: inserting ${config.scaleTenants} tenants × ${config.scalePerTenant} clients`);
  const t0 = Date.now();
  let tessera = await bench.startTessera();
  const layout = await seedScale(databaseUrl, bench.kek, tessera.base, config.scaleTenants, config.scalePerTenant);
  await bench.stop(tessera);
  const counts = await tableCounts(databaseUrl);
  log(`scale: ${JSON.stringify(counts)} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const all = layout.flatMap((t) => t.clients.map((id) => ({ slug: t.slug, auth: basic(id, bulkSecret(id)) })));
  const hot = layout.map((t) => ({ slug: t.slug, auth: basic(t.clients[0], bulkSecret(t.clients[0])) }));
  const out = { counts, runs: [] };
  for (let round = 1; round <= config.extraRounds; round++) {
    tessera = await bench.startTessera();
    const runs = {};
    runs.one = await bench.measure('tessera/scale', S.clientCredentials('tessera', tessera.base, client, 16), [tessera]);
    await bench.stop(tessera);
    // Each spread run on a cold process of its own: the first requests of every tenant and client are part of what it measures.
    tessera = await bench.startTessera();
    const hotRun = S.spreadClientCredentials(tessera.base, hot, 16, `1 client in each of ${hot.length} tenants`);
    runs.hot = await bench.measure('tessera/scale', hotRun, [tessera], { warmup: config.scaleWarmup });
    await bench.stop(tessera);
    tessera = await bench.startTessera();
    const allRun = S.spreadClientCredentials(tessera.base, all, 16, `random of all ${all.length} clients`);
    runs.all = await bench.measure('tessera/scale', allRun, [tessera], { warmup: config.scaleWarmup });
    runs.rss = await bench.stop(tessera);
    out.runs.push(runs);
  }
  out.hotClients = hot.length;
  out.allClients = all.length;
  out.pools = { hot, all };
  return out;
}
