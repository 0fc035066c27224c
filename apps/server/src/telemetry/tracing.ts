// OpenTelemetry tracing, off unless the standard OTEL_* variables ask for it. main.ts calls
// startTracing() before it imports the rest of the server, so that the instrumentations of http,
// pg and node-redis are in place before those modules load. While off, nothing of the SDK is even
// loaded: no hook, no wrapper, no cost.

/** What the server needs of the tracer: naming spans after routes, and ids for the log lines. */
export interface Tracing {
  /** On the HTTP server span of the current request: the request id and the route template. */
  annotateRequest(requestId: string, route: string | undefined): void;
  /** `trace_id` and `span_id` of the active span, for a log line (empty outside any span). */
  logFields(): Record<string, string>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

type Env = Record<string, string | undefined>;

/**
 * On when OTEL_TRACES_EXPORTER names an exporter (otlp, console, zipkin) or an OTLP endpoint is
 * set, unless OTEL_SDK_DISABLED=true. The SDK's own default (export to localhost:4318 with nothing
 * set) would make every installation try to send spans nowhere.
 */
export function tracingEnabled(env: Env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.length > 0) return !exporters.includes('none');
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}

/** The span attribute holding Tessera's request id (the X-Request-Id header of the response). */
export const REQUEST_ID_ATTRIBUTE = 'tessera.request_id';

export async function startTracing(env: Env): Promise<Tracing | undefined> {
  if (!tracingEnabled(env)) return undefined;
  const [{ NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }, { RedisInstrumentation }, { UndiciInstrumentation }, api, core] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-pg'),
      import('@opentelemetry/instrumentation-redis'),
      import('@opentelemetry/instrumentation-undici'),
      import('@opentelemetry/api'),
      import('@opentelemetry/core'),
    ]);
  const hasServiceName = Boolean(env['OTEL_SERVICE_NAME']?.trim()) || /(^|,)\s*service\.name=/.test(env['OTEL_RESOURCE_ATTRIBUTES'] ?? '');
  const sdk = new NodeSDK({
    ...(hasServiceName ? {} : { serviceName: 'tessera' }),
    // Traces only, unless the operator asks the SDK for metrics or logs too: Tessera's metrics
    // are Prometheus (METRICS_PORT) and its logs JSON lines on stdout.
    ...(env['OTEL_METRICS_EXPORTER'] ? {} : { metricReaders: [] }),
    ...(env['OTEL_LOGS_EXPORTER'] ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz)(\?|$)/.test(request.url ?? ''),
      }),
      // Statement text (with $1 placeholders, never values) but no parameters.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // Keys may carry token digests: the default serializer keeps only the command and key names.
      new RedisInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();

  return {
    annotateRequest(requestId, route) {
      const ctx = api.context.active();
      api.trace.getSpan(ctx)?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
      // The HTTP instrumentation names the server span `METHOD route` and sets http.route from this.
      const rpc = core.getRPCMetadata(ctx);
      if (rpc?.type === core.RPCType.HTTP && route !== undefined) rpc.route = route;
    },
    logFields(): Record<string, string> {
      const span = api.trace.getSpan(api.context.active());
      if (span === undefined) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    shutdown: () => sdk.shutdown(),
  };
}
