// `node --cpu-prof` on Tessera during a c16 client_credentials run; only the measured window is summarised.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { log } from '../lib/bench.mjs';
import { runScenario } from '../lib/load.mjs';
import { ROOT } from '../lib/procs.mjs';
import { summariseProfile } from '../lib/profile.mjs';

export async function profilePart(bench, name, makeScenario) {
  const dir = path.join(bench.config.artifacts, `profile-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tessera = await bench.startTessera({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'] });
  const scenario = makeScenario(tessera.base);
  await runScenario(scenario, { duration: bench.config.firstWarmup, warmup: 0 });
  const start = Number(process.hrtime.bigint() / 1000n);
  const result = await bench.measure('tessera/prof', scenario, [tessera], { warmup: 0 });
  const end = Number(process.hrtime.bigint() / 1000n);
  await bench.stop(tessera);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no CPU profile was written');
  const summary = summariseProfile(path.join(dir, file), ROOT, [start, end], 25);
  if (summary.totalMs < 100) {
    log('profile: the measured window is not on the profile clock; summarising the whole profile');
    Object.assign(summary, summariseProfile(path.join(dir, file), ROOT, null, 25));
  }
  summary.file = path.relative(ROOT, path.join(dir, file));
  summary.result = result;
  return summary;
}
