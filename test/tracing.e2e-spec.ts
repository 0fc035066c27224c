import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { AdminApi, basic, discover, postForm } from './support/oauth-client.js';
import { freePort, startTessera, type TesseraProcess } from './support/tessera-process.js';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: OtlpAttribute[];
}
interface ExportedSpan extends OtlpSpan {
  serviceName: string | undefined;
  attrs: Record<string, string | number | boolean | undefined>;
}

const SERVER_KIND = 2;

/**
 * An OTLP/HTTP receiver (JSON encoding) standing in for the OpenTelemetry Collector: it keeps
 * every exported span and the raw bodies.
 */
async function startReceiver(): Promise<{ url: string; spans: ExportedSpan[]; bodies: string[]; server: Server }> {
  const spans: ExportedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const resourceSpans of payload.resourceSpans) {
          const serviceName = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans) {
              const attrs = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
              spans.push({ ...span, serviceName, attrs });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, spans, bodies, server };
}

/**
 * Issue 14: OpenTelemetry traces, on with the standard OTEL_* variables. A token request's trace
 * reaches the test's OTLP receiver with the HTTP server span, PostgreSQL and Redis spans, and the
 * request id is on the span and in the log line that carries the trace id.
 */
describe('OpenTelemetry traces to an OTLP/HTTP receiver', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: TesseraProcess;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTessera({
      env: {
        LOG_LEVEL: 'info',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'tessera-e2e',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  async function spansOf(traceId: string, until: (spans: ExportedSpan[]) => boolean): Promise<ExportedSpan[]> {
    for (let i = 0; i < 100; i++) {
      const spans = receiver.spans.filter((span) => span.traceId === traceId);
      if (until(spans)) return spans;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no complete trace ${traceId}; received spans: ${receiver.spans.map((s) => `${s.traceId} ${s.name}`).join(', ')}`);
  }

  it('exports a token request with its HTTP, PostgreSQL and Redis spans, the caller as parent, and the request id', async () => {
    const admin = new AdminApi(server);
    const tenant = await admin.createTenant('traced');
    // A rate limit on the token endpoint, so that the request counts in Redis; a new client, so that it is read from PostgreSQL.
    await admin.request('PATCH', `/tenants/${tenant.slug}`, { settings: { rateLimits: { tokenPerClient: { max: 100, windowSeconds: 60 } } } });
    const client = await admin.createClient(tenant.slug);
    const { token_endpoint } = await discover(tenant.issuer);
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const requestId = `trace-${randomBytes(6).toString('hex')}`;

    const res = await postForm<{ access_token: string }>(token_endpoint, { grant_type: 'client_credentials' }, {
      authorization: basic(client.clientId, client.clientSecret),
      traceparent: `00-${traceId}-${parentSpanId}-01`,
      'x-request-id': requestId,
    });
    expect(res.status).toBe(200);

    const spans = await spansOf(traceId, (found) => found.some((s) => s.kind === SERVER_KIND));
    const http = spans.find((s) => s.kind === SERVER_KIND)!;
    expect(http).toMatchObject({ name: 'POST /t/:tenant/oauth2/token', parentSpanId, serviceName: 'tessera-e2e' });
    expect(http.attrs).toMatchObject({ 'http.route': '/t/:tenant/oauth2/token', 'http.response.status_code': 200, 'tessera.request_id': requestId });
    const postgres = spans.filter((s) => s.attrs['db.system.name'] === 'postgresql');
    const redis = spans.filter((s) => s.attrs['db.system.name'] === 'redis');
    expect(postgres.some((s) => s.name.startsWith('pg.query:tessera_clients_by_tenantId_clientId'))).toBe(true);
    expect(redis.map((s) => s.attrs['db.operation.name'])).toContain('EVAL');

    // The log line of the request carries the same request id and the trace id.
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes(`"reqId":"${requestId}"`) && l.includes('request completed'));
    expect(JSON.parse(line!)).toMatchObject({ trace_id: traceId, req: { id: requestId } });

    // Neither the client secret nor the issued token is in any export.
    const exported = receiver.bodies.join('\n');
    expect(exported).not.toContain(client.clientSecret);
    expect(exported).not.toContain(res.body.access_token);
  });

  it('leaves readiness probes out of the traces', async () => {
    const traceId = randomBytes(16).toString('hex');
    expect((await fetch(`${server.baseUrl}/readyz`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.spans.filter((s) => s.traceId === traceId && s.kind === SERVER_KIND)).toEqual([]);
  });
});
