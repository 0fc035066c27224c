import {
  cacheLookedUp,
  rateLimitRejected,
  signInAttempted,
  signInLocked,
  storeOperationCompleted,
  tokenIntrospected,
  tokenIssued,
  tokenRevoked,
  type TenantRef,
} from '@tessera/observability';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import type { StoreHealthReport } from '../store-health.service.js';

export interface ServerMetricsOptions {
  /** METRICS_TENANT_LABEL: a `tenant` label (the slug) on the per-tenant counters. */
  tenantLabel: boolean;
  /** Which short-lived-state store runs: `redis`, or `in-process` without REDIS_URL. */
  storeKind: 'redis' | 'in-process';
  /** Probes PostgreSQL and the store at each scrape, for `tessera_store_up`. */
  probe: () => Promise<StoreHealthReport>;
  version: string;
}

/** Request latencies from 1 ms (a token response) to 10 s. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Store round trips from 100 µs (Redis on the same host) to the 2 s command deadline and beyond. */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type HttpChild = ReturnType<Histogram<string>['labels']>;

/**
 * Every metric of docs/reference/metrics.md, in one registry of this process, counted in memory:
 * the per-request work is a few map look-ups and additions, never a store round trip. The domain
 * counters are fed by the server's events (`@tessera/observability`); HTTP requests by a Fastify
 * hook (http-metrics.hook.ts); the process metrics (memory, event loop lag, GC) by prom-client.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<string>;
  private readonly httpChildren = new Map<string, HttpChild>();
  private readonly unsubscribes: Array<() => void> = [];

  constructor(private readonly options: ServerMetricsOptions) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'tessera_build_info',
      help: 'Always 1; the labels name the running version.',
      labelNames: ['version', 'node_version'],
      registers,
    }).set({ version: options.version, node_version: process.versions.node }, 1);

    this.http = new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status class, with their duration in seconds.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: HTTP_BUCKETS,
      registers,
    });

    const tenant = (labels: string[]) => (options.tenantLabel ? [...labels, 'tenant'] : labels);
    const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers });
    const issued = counter('tessera_tokens_issued_total', 'Token responses issued, by grant type.', tenant(['grant_type']));
    const introspections = counter('tessera_token_introspections_total', 'RFC 7662 introspection answers, by whether the token was active.', tenant(['active']));
    const revocations = counter(
      'tessera_token_revocations_total',
      'RFC 7009 revocation requests answered, by the kind of token revoked (none: unknown or invalid token).',
      tenant(['token_type']),
    );
    const signIns = counter(
      'tessera_sign_in_attempts_total',
      'Password sign-in attempts (login form, password grant), by outcome: success, failure, or locked (refused unchecked).',
      tenant(['outcome', 'via']),
    );
    const locks = counter('tessera_sign_in_locks_total', 'Usernames or IP addresses locked after repeated failures.', tenant(['scope']));
    const rateLimited = counter('tessera_rate_limit_rejections_total', 'Requests refused for exceeding one of the tenant rate limits, by limit.', tenant(['limit']));
    const cacheLookups = counter(
      'tessera_cache_lookups_total',
      'Look-ups in the in-process caches of clients, tenants and signing keys, by result (hit or miss).',
      ['cache', 'result'],
    );
    const storeOperations = new Histogram({
      name: 'tessera_store_operation_duration_seconds',
      help: 'Commands sent to PostgreSQL (by statement kind) and Redis (by store operation), with their duration in seconds and outcome.',
      labelNames: ['store', 'operation', 'outcome'],
      buckets: STORE_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'tessera_store_up',
      help: 'Whether the store answered a probe at this scrape (1) or not (0): postgresql, and redis or in-process.',
      labelNames: ['store'],
      registers,
      async collect() {
        const report = await options.probe();
        this.set({ store: 'postgresql' }, report.database === 'up' ? 1 : 0);
        this.set({ store: options.storeKind }, report.store === 'up' ? 1 : 0);
      },
    });

    const withTenant = <T extends string>(labels: LabelValues<T>, ref: TenantRef): LabelValues<T> =>
      options.tenantLabel ? { ...labels, tenant: ref.slug } : labels;
    this.unsubscribes.push(
      tokenIssued.subscribe(({ tenant: t, grantType }) => issued.inc(withTenant({ grant_type: grantType }, t))),
      tokenIntrospected.subscribe(({ tenant: t, active }) => introspections.inc(withTenant({ active: String(active) }, t))),
      tokenRevoked.subscribe(({ tenant: t, tokenType }) => revocations.inc(withTenant({ token_type: tokenType }, t))),
      signInAttempted.subscribe(({ tenant: t, outcome, via }) => signIns.inc(withTenant({ outcome, via }, t))),
      signInLocked.subscribe(({ tenant: t, scope }) => locks.inc(withTenant({ scope }, t))),
      rateLimitRejected.subscribe(({ tenant: t, limit }) => rateLimited.inc(withTenant({ limit }, t))),
      cacheLookedUp.subscribe(({ cache, hit }) => cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' })),
      storeOperationCompleted.subscribe(({ store, operation, seconds, ok }) =>
        storeOperations.observe({ store, operation, outcome: ok ? 'ok' : 'error' }, seconds),
      ),
    );
  }

  /** One HTTP request; `route` is the route template (`/t/:tenant/oauth2/token`), never the path. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const statusClass = `${Math.floor(statusCode / 100)}xx`;
    const key = `${method} ${route} ${statusClass}`;
    let child = this.httpChildren.get(key);
    if (child === undefined) {
      child = this.http.labels({ method, route, status_class: statusClass });
      this.httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops listening to the server's events (the process goes on counting nothing). */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }
}
