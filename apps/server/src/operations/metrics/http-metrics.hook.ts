import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from './server-metrics.js';

/** Requests no route matched (Fastify's 404): one label value, whatever the path. */
const UNMATCHED = 'unmatched';

/**
 * Counts every response at the Fastify level, labelled with the route template, so that routes
 * served by Nest controllers and by Fastify directly are measured alike. A synchronous hook: no
 * promise per request.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: ServerMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
