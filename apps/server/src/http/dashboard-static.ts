import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_CONTENT_SECURITY_POLICY } from './security-headers.js';

/**
 * Client-side routes of the dashboard: each answers with its index.html. `/account/*` covers
 * `/account/:tenant` and its `/callback`; `/tenants/*` every tenant screen.
 */
const SPA_ROUTES = ['/', '/callback', '/account/*', '/tenants', '/tenants/*'];

/**
 * Serves the built dashboard (dist/dashboard) at `/`: hashed assets cached for a year, the HTML
 * never cached. Returns false when the dashboard has not been built.
 */
export async function registerDashboard(fastify: FastifyInstance, root: string): Promise<boolean> {
  const indexPath = path.join(root, 'index.html');
  if (!existsSync(indexPath)) return false;
  const indexHtml = readFileSync(indexPath);
  await fastify.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    immutable: true,
    maxAge: '365d',
  });
  // The icon (from apps/dashboard/public), also at /favicon.ico where browsers look on their own.
  const iconPath = path.join(root, 'favicon.svg');
  if (existsSync(iconPath)) {
    const icon = readFileSync(iconPath);
    for (const route of ['/favicon.svg', '/favicon.ico']) {
      fastify.get(route, (_request, reply) => {
        reply.header('Cache-Control', 'public, max-age=86400').type('image/svg+xml').send(icon);
      });
    }
  }
  for (const route of SPA_ROUTES) {
    fastify.get(route, (_request, reply) => {
      reply
        .header('Cache-Control', 'no-cache')
        .header('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY)
        .type('text/html; charset=utf-8')
        .send(indexHtml);
    });
  }
  return true;
}
