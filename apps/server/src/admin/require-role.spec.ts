import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ADMIN_CONTROLLERS } from './admin.module.js';
import { ADMIN_ACCESS, type AdminAccess } from './require-role.js';

interface Route {
  name: string;
  method: string;
  path: string;
  access: AdminAccess | undefined;
}

function routes(): Route[] {
  return ADMIN_CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((key) => {
      const handler = proto[key];
      if (key === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
      return [
        {
          name: `${controller.name}.${key}`,
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!,
          path: `/${base}/${sub}`.replace(/\/+/g, '/').replace(/\/$/, ''),
          access: Reflect.getMetadata(ADMIN_ACCESS, handler) as AdminAccess | undefined,
        },
      ];
    });
  });
}

describe('admin API access declarations', () => {
  const all = routes();

  it('finds the routes', () => {
    expect(all.length).toBeGreaterThan(25);
  });

  it('declares an access rule on every route', () => {
    expect(all.filter((r) => r.access === undefined).map((r) => r.name)).toEqual([]);
  });

  it('gives tenant roles only to routes that name a tenant', () => {
    const roles: AdminAccess[] = ['viewer', 'admin', 'owner'];
    expect(all.filter((r) => roles.includes(r.access!) && !r.path.includes('/:slug')).map((r) => r.name)).toEqual([]);
  });

  it('lets viewers only read', () => {
    expect(all.filter((r) => r.access === 'viewer' && r.method !== 'GET').map((r) => r.name)).toEqual([]);
  });

  it('keeps members and deleting a tenant to owners, and creating tenants to platform admins', () => {
    for (const r of all.filter((x) => x.path.includes('/members'))) expect([r.name, r.access]).toEqual([r.name, 'owner']);
    expect(all.find((r) => r.method === 'DELETE' && r.path.endsWith('/tenants/:slug'))?.access).toBe('owner');
    expect(all.find((r) => r.method === 'POST' && r.path.endsWith('/tenants'))?.access).toBe('platform');
    expect(all.filter((r) => r.access === 'signed-in').map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /admin/api/v1/me',
      'GET /admin/api/v1/tenants',
    ]);
  });
});
