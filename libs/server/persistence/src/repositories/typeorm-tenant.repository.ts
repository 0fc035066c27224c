import { DEFAULT_TENANT_SETTINGS, TenantRepository, type PageRequest, type Tenant, type TenantSettings } from '@tessera/tenancy';
import type { Page } from '@tessera/contracts';
import type { DataSource, Repository } from 'typeorm';
import { TenantEntity } from '../entities/tenant.entity.js';
import { conflictOnDuplicate, keysetPage } from './keyset-page.js';

export class TypeOrmTenantRepository extends TenantRepository {
  private readonly repo: Repository<TenantEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.repo = dataSource.getRepository(TenantEntity);
  }

  async create(input: { slug: string; displayName: string; settings: TenantSettings }): Promise<Tenant> {
    try {
      const row = await this.repo.save(this.repo.create({ ...input, settings: { ...input.settings } }));
      return toTenant(row);
    } catch (error) {
      conflictOnDuplicate(error, `tenant ${input.slug} already exists`);
    }
  }

  async findBySlug(slug: string): Promise<Tenant | null> {
    const row = await this.repo.findOneBy({ slug });
    return row ? toTenant(row) : null;
  }

  async findById(id: string): Promise<Tenant | null> {
    const row = await this.repo.findOneBy({ id });
    return row ? toTenant(row) : null;
  }

  list(page: PageRequest, onlyIds?: readonly string[]): Promise<Page<Tenant>> {
    const qb = this.repo.createQueryBuilder('t');
    if (onlyIds) qb.where('t.id = ANY(:ids)', { ids: onlyIds.length > 0 ? [...onlyIds] : ['00000000-0000-0000-0000-000000000000'] });
    return keysetPage(qb, 't', page, toTenant);
  }

  async update(id: string, patch: { displayName?: string; settings?: TenantSettings }): Promise<Tenant> {
    const row = await this.repo.findOneByOrFail({ id });
    if (patch.displayName !== undefined) row.displayName = patch.displayName;
    if (patch.settings !== undefined) row.settings = { ...patch.settings };
    return toTenant(await this.repo.save(row));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

function toTenant(row: TenantEntity): Tenant {
  const s = row.settings as Partial<TenantSettings>;
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    settings: {
      ...(s.audience ? { audience: s.audience } : {}),
      branding: { ...DEFAULT_TENANT_SETTINGS.branding, ...s.branding },
      passwordGrantEnabled: s.passwordGrantEnabled === true,
      implicitGrantEnabled: s.implicitGrantEnabled === true,
      ...(s.rateLimits ? { rateLimits: s.rateLimits } : {}),
      ...(s.loginProtection ? { loginProtection: s.loginProtection } : {}),
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
