import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type Page } from '@tessera/contracts';
import { ADMIN_TENANT_SLUG, type Tenant, type TenantSettings } from './tenant.js';
import { TenantRepository, type PageRequest } from './tenant.repository.js';
import { TenantsService } from './tenants.service.js';

/** TenantRepository over a Map that records every call, so specs can show what was (not) asked. */
class RecordingTenantRepository extends TenantRepository {
  readonly rows = new Map<string, Tenant>();
  readonly calls: string[] = [];

  async create(input: { slug: string; displayName: string; settings: TenantSettings }): Promise<Tenant> {
    this.calls.push(`create:${input.slug}`);
    if ([...this.rows.values()].some((t) => t.slug === input.slug)) throw new ConflictError(`tenant ${input.slug} already exists`);
    const now = new Date();
    const tenant: Tenant = { id: randomUUID(), ...structuredClone(input), createdAt: now, updatedAt: now };
    this.rows.set(tenant.id, tenant);
    return structuredClone(tenant);
  }

  async findBySlug(slug: string): Promise<Tenant | null> {
    this.calls.push(`findBySlug:${slug}`);
    const tenant = [...this.rows.values()].find((t) => t.slug === slug);
    return tenant ? structuredClone(tenant) : null;
  }

  async findById(id: string): Promise<Tenant | null> {
    this.calls.push(`findById:${id}`);
    const tenant = this.rows.get(id);
    return tenant ? structuredClone(tenant) : null;
  }

  async list(page: PageRequest, onlyIds?: readonly string[]): Promise<Page<Tenant>> {
    this.calls.push('list');
    const items = [...this.rows.values()].filter((t) => !onlyIds || onlyIds.includes(t.id)).slice(0, page.limit);
    return { items, next: null };
  }

  async update(id: string, patch: { displayName?: string; settings?: TenantSettings }): Promise<Tenant> {
    this.calls.push(`update:${id}`);
    const tenant = this.rows.get(id);
    if (!tenant) throw new Error('no such tenant');
    if (patch.displayName !== undefined) tenant.displayName = patch.displayName;
    if (patch.settings !== undefined) tenant.settings = structuredClone(patch.settings);
    return structuredClone(tenant);
  }

  async delete(id: string): Promise<void> {
    this.calls.push(`delete:${id}`);
    this.rows.delete(id);
  }
}

describe('TenantsService', () => {
  let repository: RecordingTenantRepository;
  let service: TenantsService;

  beforeEach(() => {
    repository = new RecordingTenantRepository();
    service = new TenantsService(repository, { publicUrl: 'https://as.example' });
  });

  describe('settings', () => {
    it('creates a tenant with the default settings where none are given', async () => {
      const tenant = await service.create({ slug: 'acme', displayName: 'Acme' });
      expect(tenant.settings).toEqual({
        audience: undefined,
        branding: { logoUrl: null, primaryColor: null },
        passwordGrantEnabled: false,
        implicitGrantEnabled: false,
      });
    });

    it('merges a partial settings patch at creation over the defaults', async () => {
      const tenant = await service.create({ slug: 'acme', displayName: 'Acme', settings: { branding: { primaryColor: '#123456' } } });
      expect(tenant.settings.branding).toEqual({ logoUrl: null, primaryColor: '#123456' });
      expect(tenant.settings.passwordGrantEnabled).toBe(false);
    });

    it('keeps the other branding fields and settings when a patch changes one branding field', async () => {
      await service.create({
        slug: 'acme',
        displayName: 'Acme',
        settings: {
          audience: 'https://api.acme.example',
          branding: { logoUrl: 'https://cdn.example/logo.png', primaryColor: '#000000' },
          passwordGrantEnabled: true,
        },
      });
      const updated = await service.update('acme', { settings: { branding: { primaryColor: '#ffffff' } } });
      expect(updated.settings).toEqual({
        audience: 'https://api.acme.example',
        branding: { logoUrl: 'https://cdn.example/logo.png', primaryColor: '#ffffff' },
        passwordGrantEnabled: true,
        implicitGrantEnabled: false,
      });
      expect(updated.displayName).toBe('Acme');
    });

    it('clears a branding field patched to null, and leaves settings alone when only the name changes', async () => {
      await service.create({ slug: 'acme', displayName: 'Acme', settings: { branding: { logoUrl: 'https://cdn.example/l.png', primaryColor: '#000000' } } });
      const cleared = await service.update('acme', { settings: { branding: { logoUrl: null } } });
      expect(cleared.settings.branding).toEqual({ logoUrl: null, primaryColor: '#000000' });
      const renamed = await service.update('acme', { displayName: 'Acme Inc' });
      expect(renamed).toMatchObject({ displayName: 'Acme Inc', settings: cleared.settings });
    });

    it('does not share the default settings object between tenants', async () => {
      const a = await service.create({ slug: 'a', displayName: 'A' });
      a.settings.branding.primaryColor = '#abcdef';
      const b = await service.create({ slug: 'b', displayName: 'B' });
      expect(b.settings.branding.primaryColor).toBeNull();
    });
  });

  describe('delete', () => {
    it('refuses to delete the admin tenant, without touching the repository', async () => {
      await service.create({ slug: ADMIN_TENANT_SLUG, displayName: 'Admin' });
      repository.calls.length = 0;
      await expect(service.delete(ADMIN_TENANT_SLUG, ADMIN_TENANT_SLUG)).rejects.toBeInstanceOf(ConflictError);
      expect(repository.calls).toEqual([]);
      expect(await service.resolve(ADMIN_TENANT_SLUG)).not.toBeNull();
    });

    it('deletes another tenant and forgets it at once, even after it was resolved and cached', async () => {
      const tenant = await service.create({ slug: 'acme', displayName: 'Acme' });
      expect(await service.resolve('acme')).toMatchObject({ id: tenant.id });
      await expect(service.delete('acme', ADMIN_TENANT_SLUG)).resolves.toMatchObject({ id: tenant.id });
      expect(await service.resolve('acme')).toBeNull();
      await expect(service.delete('acme', ADMIN_TENANT_SLUG)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('resolve', () => {
    it.each(['', 'UPPER', 'Acme', '-acme', 'acme-', 'a_b', 'a b', 'a.b', '../admin', 'a/b', 'a%2fb', 'x'.repeat(33), 'ü'])(
      'returns null for the malformed slug %p without asking the repository',
      async (slug) => {
        expect(await service.resolve(slug)).toBeNull();
        expect(repository.calls).toEqual([]);
      },
    );

    it('resolves a well-formed slug, null for an unknown one, and reuses the answer for a while', async () => {
      const tenant = await service.create({ slug: 'acme', displayName: 'Acme' });
      repository.calls.length = 0;
      expect(await service.resolve('acme')).toMatchObject({ id: tenant.id });
      expect(await service.resolve('acme')).toMatchObject({ id: tenant.id });
      expect(await service.resolve('nobody')).toBeNull();
      expect(repository.calls).toEqual(['findBySlug:acme', 'findBySlug:nobody']);
    });

    it('sees an update at once (the cache entry is dropped)', async () => {
      await service.create({ slug: 'acme', displayName: 'Acme' });
      await service.resolve('acme');
      await service.update('acme', { displayName: 'Renamed' });
      expect(await service.resolve('acme')).toMatchObject({ displayName: 'Renamed' });
    });

    it('answers NotFoundError from get() for malformed and unknown slugs alike', async () => {
      await expect(service.get('Not-Valid')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.get('unknown')).rejects.toBeInstanceOf(NotFoundError);
      expect(repository.calls).toEqual(['findBySlug:unknown']);
    });
  });

  describe('context', () => {
    it('derives the issuer from the public URL and the audience from the issuer unless set', async () => {
      const plain = await service.create({ slug: 'acme', displayName: 'Acme', settings: { passwordGrantEnabled: true } });
      expect(service.context(plain)).toEqual({
        id: plain.id,
        slug: 'acme',
        issuer: 'https://as.example/t/acme',
        audience: 'https://as.example/t/acme/api',
        settings: { passwordGrantEnabled: true, implicitGrantEnabled: false },
      });
      const custom = await service.create({ slug: 'globex', displayName: 'Globex', settings: { audience: 'https://api.globex.example' } });
      expect(service.context(custom).audience).toBe('https://api.globex.example');
    });
  });
});
