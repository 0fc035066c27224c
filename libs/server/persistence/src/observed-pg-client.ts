import { storeOperationCompleted } from '@tessera/observability';
import pg from 'pg';

/** Statement kinds named in the store latency metric; anything else is `other` (a bounded label). */
const KINDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'start', 'commit', 'rollback', 'savepoint', 'release']);

function kindOf(query: unknown): string {
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  if (typeof text !== 'string') return 'other';
  const word = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toLowerCase();
  return word !== undefined && KINDS.has(word) ? word : 'other';
}

/**
 * pg's Client, timing every query it sends for the store latency metric (TypeORM's queries and
 * the prepared look-ups alike, as both run on the pool this client class is given to). Nothing is
 * measured while no one observes the metric. pg's own prototype is looked up at each call, so an
 * OpenTelemetry instrumentation that wraps it still sees every query.
 */
export class ObservedPgClient extends pg.Client {}

(ObservedPgClient.prototype as { query: unknown }).query = function observedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  if (!storeOperationCompleted.active) return query.apply(this, args);
  const started = performance.now();
  const done = (ok: boolean) =>
    storeOperationCompleted.publish({ store: 'postgresql', operation: kindOf(args[0]), seconds: (performance.now() - started) / 1000, ok });
  // Callback form (pg-pool's pool.query, which the prepared look-ups use) and promise form
  // (TypeORM); a cursor (Submittable) goes unmeasured.
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = function observedCallback(this: unknown, error: unknown, ...rest: unknown[]) {
      done(error === null || error === undefined);
      return (callback as (...a: unknown[]) => unknown).call(this, error, ...rest);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result instanceof Promise) result.then(() => done(true), () => done(false));
  return result;
};
