import { Module, type DynamicModule } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { AuditEventsController } from './audit-events.controller.js';
import { ClientsController } from './clients.controller.js';
import { ConsentsController } from './consents.controller.js';
import { KeysController } from './keys.controller.js';
import { MeController } from './me.controller.js';
import { MembersController } from './members.controller.js';
import { BootstrapOptions, PlatformBootstrapService } from './platform-bootstrap.service.js';
import { ScopesController } from './scopes.controller.js';
import { StatsController } from './stats.controller.js';
import { TenantProvisioningService } from './tenant-provisioning.service.js';
import { TenantsController } from './tenants.controller.js';
import { TokensController } from './tokens.controller.js';
import { UsersController } from './users.controller.js';

/** Every controller of the admin API; each route declares its access with @RequireRole. */
export const ADMIN_CONTROLLERS = [
  TenantsController,
  ClientsController,
  ScopesController,
  UsersController,
  KeysController,
  ConsentsController,
  TokensController,
  AuditEventsController,
  StatsController,
  MembersController,
  MeController,
];

@Module({})
export class AdminModule {
  static forRoot(bootstrap: BootstrapOptions): DynamicModule {
    return {
      module: AdminModule,
      controllers: ADMIN_CONTROLLERS,
      providers: [AdminAuthGuard, TenantProvisioningService, PlatformBootstrapService, { provide: BootstrapOptions, useValue: bootstrap }],
    };
  }
}
