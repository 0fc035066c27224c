import { Injectable } from '@nestjs/common';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { ConflictError, type CreateTenantInput } from '@tessera/contracts';
import { KeysService } from '@tessera/keys';
import { ScopesService, TenancyOptions, TenantsService, type Tenant } from '@tessera/tenancy';
import { builtInRedirectUri } from './built-in-redirect-uri.js';

export const ACCOUNT_CLIENT_ID = 'account';
export const ACCOUNT_SCOPE = 'account';

/**
 * Everything a tenant has from birth: its signing keys (ES256 and RS256), the `account` scope and the built-in
 * public client `account` of the end-user account pages (CONTRACT.md, End-user account). If any step
 * fails, the tenant is removed again, so there is never a half-made tenant.
 */
@Injectable()
export class TenantProvisioningService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly scopes: ScopesService,
    private readonly keys: KeysService,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
    private readonly options: TenancyOptions,
  ) {}

  async create(input: CreateTenantInput, origin: RequestOrigin): Promise<Tenant> {
    const tenant = await this.tenants.create(input);
    try {
      await this.keys.createInitialKeys(tenant.id);
      await this.scopes.create(tenant.id, ACCOUNT_SCOPE, 'Manage your account and the apps you allowed');
      await this.clients.register(
        tenant.id,
        {
          name: 'Account',
          type: 'public',
          redirectUris: [builtInRedirectUri(this.options.publicUrl, `/account/${tenant.slug}/callback`)],
          postLogoutRedirectUris: [builtInRedirectUri(this.options.publicUrl, `/account/${tenant.slug}`)],
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['openid', ACCOUNT_SCOPE],
          firstParty: true,
          accessTokenTtl: 900,
          refreshTokenTtl: 86_400,
          refreshTokenIdleTtl: 3_600,
          // Built in before RS256 ID tokens: it keeps ES256, what it has always verified.
          idTokenSignedResponseAlg: 'ES256',
        },
        { clientId: ACCOUNT_CLIENT_ID, builtIn: true },
      );
    } catch (error) {
      await this.tenants.delete(tenant.slug, '').catch(() => undefined);
      throw error;
    }
    await this.audit.record(origin, tenant.id, 'tenant.created', { type: 'tenant', id: tenant.slug }, { displayName: tenant.displayName });
    return tenant;
  }

  /** Creates the tenant, or returns it when it exists (another process may have won the race). */
  async ensure(input: CreateTenantInput, origin: RequestOrigin): Promise<{ tenant: Tenant; created: boolean }> {
    const existing = await this.tenants.resolve(input.slug);
    if (existing) return { tenant: existing, created: false };
    try {
      return { tenant: await this.create(input, origin), created: true };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return { tenant: await this.tenants.get(input.slug), created: false };
    }
  }
}
