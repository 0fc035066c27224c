import { ManualClock } from '@tessera/clock/testing';
import { corsRouteOf, originOfRedirectUri, TenantOrigins } from './cors.js';

describe('CORS policy', () => {
  it('knows the browser-facing endpoints of a tenant and nothing else', () => {
    expect(corsRouteOf('/t/acme/oauth2/token')).toEqual({ slug: 'acme', methods: ['POST'] });
    expect(corsRouteOf('/t/acme/oauth2/userinfo?x=1')?.methods).toEqual(['GET', 'POST']);
    expect(corsRouteOf('/.well-known/oauth-authorization-server/t/acme')?.slug).toBe('acme');
    expect(corsRouteOf('/t/acme/account/v1/consents/123')?.methods).toEqual(['GET', 'DELETE']);
    for (const path of ['/t/acme/oauth2/introspect', '/t/acme/oauth2/authorize', '/t/acme/interaction/x/login', '/admin/api/v1/tenants', '/', '/t/acme/oauth2/token/x']) {
      expect({ path, route: corsRouteOf(path) }).toEqual({ path, route: null });
    }
  });

  it('takes origins from https and loopback http redirect URIs only', () => {
    expect(originOfRedirectUri('https://App.Example:443/cb?x=1')).toBe('https://app.example');
    expect(originOfRedirectUri('https://app.example:8443/cb')).toBe('https://app.example:8443');
    expect(originOfRedirectUri('http://127.0.0.1:5173/cb')).toBe('http://127.0.0.1:5173');
    expect(originOfRedirectUri('http://localhost:3000/cb')).toBe('http://localhost:3000');
    expect(originOfRedirectUri('http://app.example/cb')).toBeNull();
    expect(originOfRedirectUri('com.example.app:/cb')).toBeNull();
    expect(originOfRedirectUri('not a uri')).toBeNull();
  });

  it('caches a tenant origin set, drops it when a client of the tenant changes, and fails closed', async () => {
    const clock = new ManualClock(0);
    let loads = 0;
    let failing = false;
    const handlers: ((key: string | null) => void)[] = [];
    const uris: Record<string, string[]> = { t1: ['https://a.example/cb'], t2: ['https://b.example/cb'] };
    const origins = new TenantOrigins(
      {
        list: async (tenantId: string) => {
          loads++;
          if (failing) throw new Error('database down');
          return { items: [{ redirectUris: uris[tenantId] ?? [] }] as never, next: null };
        },
      },
      { subscribe: (_topic, handler) => void handlers.push(handler) },
      clock,
    );
    expect(await origins.allows('t1', 'https://a.example')).toBe(true);
    expect(await origins.allows('t1', 'https://b.example')).toBe(false);
    expect(loads).toBe(1);
    uris['t1'] = ['https://c.example/cb'];
    clock.set(29_999);
    expect(await origins.allows('t1', 'https://a.example')).toBe(true);
    handlers.forEach((h) => h('t1:some-client'));
    expect(await origins.allows('t1', 'https://c.example')).toBe(true);
    expect(loads).toBe(2);
    failing = true;
    clock.set(100_000);
    expect(await origins.allows('t2', 'https://b.example')).toBe(false);
    failing = false;
    expect(await origins.allows('t2', 'https://b.example')).toBe(true);
  });
});
