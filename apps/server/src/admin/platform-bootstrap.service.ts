import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SYSTEM_ORIGIN, AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { ConflictError } from '@tessera/contracts';
import { KeysService } from '@tessera/keys';
import { ADMIN_TENANT_SLUG, MembersService, ScopesService, TenancyOptions, type Tenant } from '@tessera/tenancy';
import { UsersService } from '@tessera/users';
import type { AppConfig } from '../config/index.js';
import { builtInRedirectUri } from './built-in-redirect-uri.js';
import { PLATFORM_ADMIN_SCOPE } from './admin-principal.js';
import { TenantProvisioningService } from './tenant-provisioning.service.js';

export const DASHBOARD_CLIENT_ID = 'dashboard';

/** Start-up configuration of the platform, from AppConfig. */
export abstract class BootstrapOptions {
  abstract readonly bootstrapAdmin: AppConfig['bootstrapAdmin'];
  abstract readonly bootstrapClient: AppConfig['bootstrapClient'];
  /** Where the generated admin password is printed, once. */
  abstract print(line: string): void;
}

/**
 * CONTRACT.md: tenant `admin` always exists, with the built-in `dashboard` client; on an empty
 * database the first platform admin is created, owner of tenant `admin` (a generated password is
 * printed once and never logged); the bootstrap client is created or updated at every start when configured.
 */
@Injectable()
export class PlatformBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('bootstrap');

  constructor(
    private readonly provisioning: TenantProvisioningService,
    private readonly scopes: ScopesService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly members: MembersService,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    private readonly tenancy: TenancyOptions,
    private readonly options: BootstrapOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { tenant, created } = await this.provisioning.ensure(
      { slug: ADMIN_TENANT_SLUG, displayName: 'Tessera administration' },
      SYSTEM_ORIGIN,
    );
    await this.checkKeyEncryptionKey(tenant);
    await this.ignoreConflict(() => this.scopes.create(tenant.id, PLATFORM_ADMIN_SCOPE, 'Administer every tenant'));
    await this.ensureDashboardClient(tenant);
    if (created) await this.createFirstAdmin(tenant);
    await this.ensureBootstrapClient(tenant);
  }

  /**
   * A KEY_ENCRYPTION_KEY other than the one that sealed the keys must stop the start, not every request.
   * Reading the keys also gives tenant `admin` its RS256 key if it was made before RS256 keys existed.
   */
  private async checkKeyEncryptionKey(tenant: Tenant): Promise<void> {
    try {
      await this.keys.signer(tenant.id, 'RS256');
    } catch {
      throw new Error(
        'KEY_ENCRYPTION_KEY cannot open the stored signing keys: it is not the key they were encrypted with',
      );
    }
  }

  /**
   * The built-in `dashboard` client, with redirect URIs that follow PUBLIC_URL: when it changes, the
   * next start moves them (a built-in client has no other URIs).
   */
  private async ensureDashboardClient(tenant: Tenant): Promise<void> {
    const redirectUris = [builtInRedirectUri(this.tenancy.publicUrl, '/callback')];
    const postLogoutRedirectUris = [builtInRedirectUri(this.tenancy.publicUrl, '/')];
    const existing = await this.clients.find(tenant.id, DASHBOARD_CLIENT_ID);
    if (existing) {
      if (existing.redirectUris.join(' ') !== redirectUris.join(' ') || existing.postLogoutRedirectUris.join(' ') !== postLogoutRedirectUris.join(' ')) {
        await this.clients.update(tenant.id, DASHBOARD_CLIENT_ID, { redirectUris, postLogoutRedirectUris });
      }
      return;
    }
    await this.ignoreConflict(() =>
      this.clients.register(
        tenant.id,
        {
          name: 'Tessera dashboard',
          type: 'public',
          redirectUris,
          postLogoutRedirectUris,
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['openid', 'profile', 'email', 'offline_access', PLATFORM_ADMIN_SCOPE],
          firstParty: true,
          accessTokenTtl: 900,
          refreshTokenTtl: 43_200,
          refreshTokenIdleTtl: 3_600,
          idTokenSignedResponseAlg: 'ES256',
        },
        { clientId: DASHBOARD_CLIENT_ID, builtIn: true },
      ),
    );
  }

  private async createFirstAdmin(tenant: Tenant): Promise<void> {
    const { email, password } = this.options.bootstrapAdmin;
    const generated = password === undefined;
    const secret = password ?? randomBytes(18).toString('base64url');
    const user = await this.users.create(tenant.id, { username: email, email, emailVerified: true, password: secret });
    await this.audit.record(SYSTEM_ORIGIN, tenant.id, 'user.created', { type: 'user', id: user.id }, { username: email, bootstrap: true });
    // Owner of tenant `admin` is what makes a platform admin. Granted here, at creation only, so an
    // owner who later takes the role away is not overruled at the next start.
    await this.members.makePlatformAdmin(user.id);
    await this.audit.record(SYSTEM_ORIGIN, tenant.id, 'member.added', { type: 'user', id: user.id }, { username: email, role: 'owner', bootstrap: true });
    if (generated) {
      // Printed to stdout once, outside the structured log, and never stored anywhere but as a hash.
      this.options.print(
        `\nTessera: first platform admin created\n  username: ${email}\n  password: ${secret}\n  (shown once: store it now)\n`,
      );
    } else {
      this.logger.log(`first platform admin ${email} created with the configured password`);
    }
  }

  private async ensureBootstrapClient(tenant: Tenant): Promise<void> {
    const config = this.options.bootstrapClient;
    if (!config) return;
    const existing = await this.clients.find(tenant.id, config.clientId);
    if (!existing) {
      await this.ignoreConflict(() =>
        this.clients.register(
          tenant.id,
          {
            name: 'Bootstrap client',
            type: 'confidential',
            redirectUris: [],
            postLogoutRedirectUris: [],
            grantTypes: ['client_credentials'],
            scopes: [PLATFORM_ADMIN_SCOPE],
            firstParty: true,
            accessTokenTtl: 3600,
            refreshTokenTtl: 86_400,
            refreshTokenIdleTtl: 3_600,
            idTokenSignedResponseAlg: 'ES256',
          },
          { clientId: config.clientId, clientSecret: config.clientSecret },
        ),
      );
      return;
    }
    if (existing.type !== 'confidential') {
      this.logger.warn(`BOOTSTRAP_CLIENT_ID ${config.clientId} names a public client; left unchanged`);
      return;
    }
    await this.clients.update(tenant.id, config.clientId, {
      grantTypes: [...new Set([...existing.grantTypes, 'client_credentials' as const])],
      scopes: [...new Set([...existing.scopes, PLATFORM_ADMIN_SCOPE])],
    });
    await this.clients.setSecret(tenant.id, config.clientId, config.clientSecret);
  }

  private async ignoreConflict(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
