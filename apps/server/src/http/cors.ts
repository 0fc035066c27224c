import type { InvalidationBus } from '@tessera/caching';
import type { ClientsService } from '@tessera/clients';
import type { Clock } from '@tessera/clock';
import type { TenantsService } from '@tessera/tenancy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The endpoints a browser application of a tenant may call from its own origin (an SPA redeeming its
 * code, refreshing, revoking, reading userinfo, keys, metadata or the account API). Introspection is
 * server-to-server (RFC 7662) and gets no CORS; neither do the login pages and the admin API (the
 * dashboard is same-origin).
 */
const CORS_ROUTES: readonly { pattern: RegExp; methods: readonly string[] }[] = [
  { pattern: /^\/t\/([^/]+)\/oauth2\/(?:token|revoke)$/, methods: ['POST'] },
  { pattern: /^\/t\/([^/]+)\/oauth2\/userinfo$/, methods: ['GET', 'POST'] },
  { pattern: /^\/t\/([^/]+)\/oauth2\/jwks$/, methods: ['GET'] },
  { pattern: /^\/t\/([^/]+)\/\.well-known\/openid-configuration$/, methods: ['GET'] },
  { pattern: /^\/\.well-known\/oauth-authorization-server\/t\/([^/]+)$/, methods: ['GET'] },
  { pattern: /^\/t\/([^/]+)\/account\/v1(?:\/.*)?$/, methods: ['GET', 'DELETE'] },
];

const ALLOWED_HEADERS = 'Authorization, Content-Type';
/** Readable by the calling script: the bearer challenge (RFC 6750 section 3) and rate-limit hints. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After';
const PREFLIGHT_MAX_AGE_S = 600;
const ORIGINS_TTL_MS = 30_000;
const MAX_TENANTS_CACHED = 10_000;
const PAGE_SIZE = 200;
/** A tenant with more clients than this still works; CORS then admits the first ones only. */
const MAX_CLIENT_PAGES = 250;

export interface CorsRoute {
  slug: string;
  methods: readonly string[];
}

/** The CORS-enabled route a path belongs to, with its tenant slug; null for every other path. */
export function corsRouteOf(url: string): CorsRoute | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  for (const route of CORS_ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { slug: match[1]!, methods: route.methods };
  }
  return null;
}

/**
 * The origin a redirect URI stands for, when a browser application could live there: https, or
 * http on a loopback host (RFC 8252 section 7.3, local development). Native-app schemes and plain
 * http on a public host admit no origin.
 */
export function originOfRedirectUri(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) return url.origin;
  return null;
}

interface Entry {
  origins: Promise<ReadonlySet<string>>;
  until: number;
}

/**
 * The origins a tenant registered: those of its clients' redirect URIs. Computed on demand, kept for
 * 30 s, and dropped at once (in every process, through the invalidation bus) when a client of the
 * tenant changes. A failed load is not kept and admits nothing (fail closed).
 */
export class TenantOrigins {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clients: Pick<ClientsService, 'list'>,
    bus: Pick<InvalidationBus, 'subscribe'>,
    private readonly clock: Clock,
  ) {
    // ClientsService publishes `${tenantId}:${clientId}` on every change of a client.
    bus.subscribe('client', (key) => {
      if (key === null) this.entries.clear();
      else this.entries.delete(key.slice(0, key.indexOf(':')));
    });
  }

  async allows(tenantId: string, origin: string): Promise<boolean> {
    try {
      return (await this.of(tenantId)).has(origin);
    } catch {
      return false;
    }
  }

  of(tenantId: string): Promise<ReadonlySet<string>> {
    const now = this.clock.now();
    const hit = this.entries.get(tenantId);
    if (hit && hit.until > now) return hit.origins;
    const origins = this.load(tenantId);
    this.entries.set(tenantId, { origins, until: now + ORIGINS_TTL_MS });
    origins.catch(() => {
      if (this.entries.get(tenantId)?.origins === origins) this.entries.delete(tenantId);
    });
    if (this.entries.size > MAX_TENANTS_CACHED) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return origins;
  }

  private async load(tenantId: string): Promise<ReadonlySet<string>> {
    const origins = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CLIENT_PAGES; page++) {
      const { items, next } = await this.clients.list(tenantId, { limit: PAGE_SIZE, cursor });
      for (const client of items) {
        for (const uri of client.redirectUris) {
          const origin = originOfRedirectUri(uri);
          if (origin) origins.add(origin);
        }
      }
      if (!next) break;
      cursor = next;
    }
    return origins;
  }
}

function addVaryOrigin(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const values = String(current ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'origin' || v === '*')) values.push('Origin');
  reply.header('Vary', values.join(', '));
}

/**
 * CORS (Fetch standard) for the endpoints above, only for origins the tenant registered, never with
 * credentials: these endpoints authenticate by header or body, not by cookie. Preflights are
 * answered here (no route has OPTIONS); a request from any other origin, or to any other path, gets
 * no CORS headers, so the browser keeps the response from the calling script.
 */
export function registerCors(fastify: FastifyInstance, tenants: Pick<TenantsService, 'resolve'>, origins: TenantOrigins): void {
  const allowedOrigin = async (request: FastifyRequest, route: CorsRoute): Promise<string | null> => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === 'null' || origin.length > 300) return null;
    try {
      const tenant = await tenants.resolve(route.slug);
      return tenant && (await origins.allows(tenant.id, origin)) ? origin : null;
    } catch {
      return null;
    }
  };

  fastify.addHook('onRequest', async (request, reply) => {
    const route = corsRouteOf(request.url);
    if (!route) return;
    addVaryOrigin(reply);
    const origin = await allowedOrigin(request, route);
    if (request.method === 'OPTIONS') {
      reply.header('Allow', [...route.methods, 'OPTIONS'].join(', '));
      if (origin) {
        reply.header('Access-Control-Allow-Origin', origin);
        reply.header('Access-Control-Allow-Methods', route.methods.join(', '));
        reply.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        reply.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      }
      return reply.code(204).send();
    }
    if (origin) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
  });
}
