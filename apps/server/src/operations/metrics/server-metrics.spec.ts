import { rateLimitRejected, storeOperationCompleted, tokenIssued } from '@tessera/observability';
import { ServerMetrics, type ServerMetricsOptions } from './server-metrics.js';

const options = (overrides: Partial<ServerMetricsOptions> = {}): ServerMetricsOptions => ({
  tenantLabel: false,
  storeKind: 'redis',
  probe: async () => ({ database: 'up', store: 'down' }),
  version: '1.2.3',
  ...overrides,
});

/** The sample lines of one metric in the exposition. */
async function lines(metrics: ServerMetrics, name: string): Promise<string[]> {
  return (await metrics.render()).split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('ServerMetrics', () => {
  let metrics: ServerMetrics;
  afterEach(() => metrics.close());

  it('counts the server events it hears, without a tenant label by default', async () => {
    metrics = new ServerMetrics(options());
    tokenIssued.publish({ tenant: { slug: 'acme' }, grantType: 'client_credentials' });
    tokenIssued.publish({ tenant: { slug: 'globex' }, grantType: 'client_credentials' });
    rateLimitRejected.publish({ tenant: { slug: 'acme' }, limit: 'tokenPerClient' });
    expect(await lines(metrics, 'tessera_tokens_issued_total')).toEqual(['tessera_tokens_issued_total{grant_type="client_credentials"} 2']);
    expect(await lines(metrics, 'tessera_rate_limit_rejections_total')).toEqual(['tessera_rate_limit_rejections_total{limit="tokenPerClient"} 1']);
  });

  it('labels the per-tenant counters by slug when asked', async () => {
    metrics = new ServerMetrics(options({ tenantLabel: true }));
    tokenIssued.publish({ tenant: { slug: 'acme' }, grantType: 'refresh_token' });
    expect(await lines(metrics, 'tessera_tokens_issued_total')).toEqual(['tessera_tokens_issued_total{grant_type="refresh_token",tenant="acme"} 1']);
  });

  it('observes requests by route template and status class', async () => {
    metrics = new ServerMetrics(options());
    metrics.observeRequest('POST', '/t/:tenant/oauth2/token', 200, 0.002);
    metrics.observeRequest('POST', '/t/:tenant/oauth2/token', 201, 0.02);
    metrics.observeRequest('POST', '/t/:tenant/oauth2/token', 503, 0.5);
    const counts = await lines(metrics, 'tessera_http_request_duration_seconds_count');
    expect(counts).toEqual([
      'tessera_http_request_duration_seconds_count{method="POST",route="/t/:tenant/oauth2/token",status_class="2xx"} 2',
      'tessera_http_request_duration_seconds_count{method="POST",route="/t/:tenant/oauth2/token",status_class="5xx"} 1',
    ]);
  });

  it('reports each store as probed at the scrape, and store latencies by operation and outcome', async () => {
    metrics = new ServerMetrics(options());
    storeOperationCompleted.publish({ store: 'redis', operation: 'take', seconds: 0.0003, ok: false });
    expect(await lines(metrics, 'tessera_store_up')).toEqual(['tessera_store_up{store="postgresql"} 1', 'tessera_store_up{store="redis"} 0']);
    expect(await lines(metrics, 'tessera_store_operation_duration_seconds_count')).toEqual([
      'tessera_store_operation_duration_seconds_count{store="redis",operation="take",outcome="error"} 1',
    ]);
  });

  it('stops listening once closed, so that the events cost nothing again', () => {
    metrics = new ServerMetrics(options());
    expect(tokenIssued.active).toBe(true);
    metrics.close();
    expect(tokenIssued.active).toBe(false);
  });
});
