import { createHmac } from 'node:crypto';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuditService } from '@tessera/audit';
import { ClientsOptions, ClientsService } from '@tessera/clients';
import { Clock, SystemClock } from '@tessera/clock';
import { KeysOptions, KeysService } from '@tessera/keys';
import { GrantableScopesPolicy, MembersService, ScopesService, TenancyOptions, TenantsService } from '@tessera/tenancy';
import { ConsentsService } from '@tessera/consents';
import {
  AccessTokenService,
  AuthorizationCodeService,
  GrantRevocationService,
  IdTokenService,
  IntrospectionService,
  RefreshTokenService,
  TokenIssuanceStats,
  TokenStatusService,
  UserTokenIssuer,
} from '@tessera/tokens';
import { LoginProtection, RateLimiter, Sleeper, TimerSleeper } from '@tessera/throttling';
import { UsersService } from '@tessera/users';
import type { AppConfig } from './config/index.js';

const SERVICES = [
  TenantsService,
  ScopesService,
  MembersService,
  GrantableScopesPolicy,
  ClientsService,
  UsersService,
  KeysService,
  AccessTokenService,
  TokenStatusService,
  IntrospectionService,
  RefreshTokenService,
  GrantRevocationService,
  AuthorizationCodeService,
  IdTokenService,
  UserTokenIssuer,
  TokenIssuanceStats,
  ConsentsService,
  AuditService,
  RateLimiter,
  LoginProtection,
];

/**
 * The domain services, wired to configuration. Each domain lib declares the options it needs as
 * an abstract class; this is the one place that fills them in.
 */
@Global()
@Module({})
export class DomainModule {
  static forRoot(config: AppConfig): DynamicModule {
    const tenancy: TenancyOptions = { publicUrl: config.publicUrl };
    const keys: KeysOptions = { keyEncryptionKey: config.keyEncryptionKey };
    const clients: ClientsOptions = {
      // A key of its own, derived from KEY_ENCRYPTION_KEY, so that one key never serves two purposes.
      secretHashKey: createHmac('sha256', config.keyEncryptionKey).update('tessera/client-secret-hmac/v1').digest(),
    };
    return {
      module: DomainModule,
      providers: [
        { provide: TenancyOptions, useValue: tenancy },
        { provide: KeysOptions, useValue: keys },
        { provide: ClientsOptions, useValue: clients },
        { provide: Clock, useClass: SystemClock },
        { provide: Sleeper, useClass: TimerSleeper },
        ...SERVICES,
      ],
      exports: [TenancyOptions, Clock, ...SERVICES],
    };
  }
}
