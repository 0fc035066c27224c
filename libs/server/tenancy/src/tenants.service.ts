import { Injectable, Optional } from '@nestjs/common';
import { CachedLookup, InProcessInvalidationBus, InvalidationBus } from '@tessera/caching';
import { ConflictError, NotFoundError, TENANT_SLUG_PATTERN, type Page } from '@tessera/contracts';
import type { TenantContext } from '@tessera/oauth-core';
import { audienceOf, issuerOf } from './issuer.js';
import { TenancyOptions } from './tenancy.options.js';
import { mergeOverrides, type LoginProtectionOverrides, type RateLimitOverrides } from './protection-settings.js';
import { DEFAULT_TENANT_SETTINGS, type Tenant, type TenantSettings } from './tenant.js';
import { TenantRepository, type PageRequest } from './tenant.repository.js';

export interface TenantSettingsPatch {
  audience?: string;
  branding?: { logoUrl?: string | null; primaryColor?: string | null };
  passwordGrantEnabled?: boolean;
  implicitGrantEnabled?: boolean;
  rateLimits?: RateLimitOverrides;
  loginProtection?: LoginProtectionOverrides;
}

@Injectable()
export class TenantsService {
  /** Tenants by slug, for every request's tenant resolution; changes evict them in every process. */
  private readonly cache: CachedLookup<Tenant | null>;

  constructor(
    private readonly repository: TenantRepository,
    private readonly options: TenancyOptions,
    @Optional() bus: InvalidationBus = new InProcessInvalidationBus(),
  ) {
    this.cache = new CachedLookup(bus, { topic: 'tenant', ttlMs: 30_000, maxEntries: 10_000 }, (slug) => this.repository.findBySlug(slug));
  }

  issuer(slug: string): string {
    return issuerOf(this.options.publicUrl, slug);
  }

  /** Resolves the tenant of a request by its slug; null for a malformed or unknown slug. */
  async resolve(slug: string): Promise<Tenant | null> {
    if (!TENANT_SLUG_PATTERN.test(slug)) return null;
    return this.cache.get(slug);
  }

  async get(slug: string): Promise<Tenant> {
    const tenant = TENANT_SLUG_PATTERN.test(slug) ? await this.repository.findBySlug(slug) : null;
    if (!tenant) throw new NotFoundError(`tenant ${slug} does not exist`);
    return tenant;
  }

  context(tenant: Tenant): TenantContext {
    return {
      id: tenant.id,
      slug: tenant.slug,
      issuer: this.issuer(tenant.slug),
      audience: audienceOf(this.options.publicUrl, tenant),
      settings: {
        passwordGrantEnabled: tenant.settings.passwordGrantEnabled,
        implicitGrantEnabled: tenant.settings.implicitGrantEnabled,
      },
    };
  }

  async create(input: { slug: string; displayName: string; settings?: TenantSettingsPatch }): Promise<Tenant> {
    const settings = mergeSettings(DEFAULT_TENANT_SETTINGS, input.settings);
    const tenant = await this.repository.create({ slug: input.slug, displayName: input.displayName, settings });
    await this.cache.invalidate(tenant.slug);
    return tenant;
  }

  list(page: PageRequest, onlyIds?: readonly string[]): Promise<Page<Tenant>> {
    return this.repository.list(page, onlyIds);
  }

  async update(slug: string, patch: { displayName?: string; settings?: TenantSettingsPatch }): Promise<Tenant> {
    const tenant = await this.get(slug);
    const updated = await this.repository.update(tenant.id, {
      displayName: patch.displayName,
      settings: patch.settings ? mergeSettings(tenant.settings, patch.settings) : undefined,
    });
    await this.cache.invalidate(slug);
    return updated;
  }

  async delete(slug: string, adminSlug: string): Promise<Tenant> {
    if (slug === adminSlug) throw new ConflictError(`tenant ${adminSlug} holds the platform admins and cannot be deleted`);
    const tenant = await this.get(slug);
    await this.repository.delete(tenant.id);
    await this.cache.invalidate(slug);
    return tenant;
  }
}

function mergeSettings(base: TenantSettings, patch: TenantSettingsPatch | undefined): TenantSettings {
  if (!patch) return structuredClone(base);
  const rateLimits = mergeOverrides(base.rateLimits, patch.rateLimits);
  const loginProtection = mergeOverrides(base.loginProtection, patch.loginProtection);
  return {
    ...(rateLimits ? { rateLimits: structuredClone(rateLimits) } : {}),
    ...(loginProtection ? { loginProtection: { ...loginProtection } } : {}),
    audience: patch.audience ?? base.audience,
    branding: {
      logoUrl: patch.branding?.logoUrl !== undefined ? patch.branding.logoUrl : base.branding.logoUrl,
      primaryColor: patch.branding?.primaryColor !== undefined ? patch.branding.primaryColor : base.branding.primaryColor,
    },
    passwordGrantEnabled: patch.passwordGrantEnabled ?? base.passwordGrantEnabled,
    implicitGrantEnabled: patch.implicitGrantEnabled ?? base.implicitGrantEnabled,
  };
}
