// The bare argon2id verification rate with Tessera's parameters (libs/server/users/src/password.hasher.ts:
// argon2id, 19 MiB, 2 passes, parallelism 1), on whatever cores this process is pinned to. Verifies
// with CONCURRENCY calls in flight (the libuv pool runs them; pinned to one core they share it).
// Env: DURATION (s), WARMUP (s), CONCURRENCY. Prints one JSON line with the rate.
import { hash, verify } from '@node-rs/argon2';
import { performance } from 'node:perf_hooks';
import { ARGON2_OPTIONS as OPTIONS } from './argon2-options.mjs';

const duration = Number(process.env.DURATION ?? 5) * 1000;
const warmup = Number(process.env.WARMUP ?? 1) * 1000;
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const password = 'correct horse battery staple';
const stored = await hash(password, OPTIONS);

async function loop(until, latencies) {
  let n = 0;
  while (performance.now() < until) {
    const t0 = performance.now();
    if (!(await verify(stored, password))) throw new Error('verify failed');
    latencies?.push(performance.now() - t0);
    n++;
  }
  return n;
}

const warmEnd = performance.now() + warmup;
await Promise.all(Array.from({ length: concurrency }, () => loop(warmEnd)));
const latencies = [];
const start = performance.now();
const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(start + duration, latencies)));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const total = counts.reduce((a, b) => a + b, 0);
process.stdout.write(`${JSON.stringify({ rps: total / elapsed, p50: pct(50), p99: pct(99), n: total, concurrency })}\n`);
