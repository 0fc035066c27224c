import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@tessera/contracts';
import type { TenantContext } from '@tessera/oauth-core';
import { TenantsService } from '@tessera/tenancy';

/** The tenant of an OAuth request, from the `:tenant` path segment. */
@Injectable()
export class TenantContextResolver {
  constructor(private readonly tenants: TenantsService) {}

  async resolve(slug: string): Promise<TenantContext> {
    const tenant = await this.tenants.resolve(slug);
    if (!tenant) throw new NotFoundError('no such tenant');
    return this.tenants.context(tenant);
  }
}
