import { Module, type DynamicModule, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { AuditEventRepository } from '@tessera/audit';
import { InProcessInvalidationBus, InvalidationBus } from '@tessera/caching';
import { Clock } from '@tessera/clock';
import { ConsentRepository } from '@tessera/consents';
import { ClientRepository } from '@tessera/clients';
import { SigningKeyRepository } from '@tessera/keys';
import { InMemoryShortLivedStateStore, ShortLivedStateStore, STORE_DATA_LOST_AT_KEY } from '@tessera/short-lived-state';
import { ScopeRepository, TenantMemberRepository, TenantRepository } from '@tessera/tenancy';
import { RefreshTokenRepository, TokenIssuanceStatsRepository } from '@tessera/tokens';
import { UserRepository } from '@tessera/users';
import { DataSource } from 'typeorm';
import { RedisInvalidationBus } from './bus/redis-invalidation.bus.js';
import { createDataSource, runMigrations } from './data-source.js';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded/embedded-postgres.js';
import { TypeOrmAuditEventRepository } from './repositories/typeorm-audit-event.repository.js';
import { TypeOrmClientRepository } from './repositories/typeorm-client.repository.js';
import { TypeOrmConsentRepository } from './repositories/typeorm-consent.repository.js';
import { TypeOrmRefreshTokenRepository } from './repositories/typeorm-refresh-token.repository.js';
import { TypeOrmScopeRepository } from './repositories/typeorm-scope.repository.js';
import { TypeOrmSigningKeyRepository } from './repositories/typeorm-signing-key.repository.js';
import { TypeOrmTenantMemberRepository } from './repositories/typeorm-tenant-member.repository.js';
import { TypeOrmTenantRepository } from './repositories/typeorm-tenant.repository.js';
import { TypeOrmTokenIssuanceStatsRepository } from './repositories/typeorm-token-issuance-stats.repository.js';
import { TypeOrmUserRepository } from './repositories/typeorm-user.repository.js';
import { RedisShortLivedStateStore } from './stores/redis-short-lived-state.store.js';

export interface PersistenceLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PersistenceOptions {
  /** Unset: an embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  /** Unset: the in-process store (single process only). */
  redisUrl?: string;
  dataDir: string;
  logger: PersistenceLogger;
}

const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');
const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

/** Closes what persistence opened, in reverse order, when the application shuts down. */
@Injectable()
class PersistenceLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ShortLivedStateStore,
    private readonly bus: InvalidationBus,
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: RunningEmbeddedPostgres | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close().catch(() => undefined);
    if (this.bus instanceof RedisInvalidationBus) await this.bus.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy().catch(() => undefined);
    await this.embedded?.stop();
  }
}

const repositories = [
  { provide: TenantRepository, useClass: TypeOrmTenantRepository },
  { provide: ScopeRepository, useClass: TypeOrmScopeRepository },
  { provide: ClientRepository, useClass: TypeOrmClientRepository },
  { provide: UserRepository, useClass: TypeOrmUserRepository },
  { provide: SigningKeyRepository, useClass: TypeOrmSigningKeyRepository },
  { provide: AuditEventRepository, useClass: TypeOrmAuditEventRepository },
  { provide: ConsentRepository, useClass: TypeOrmConsentRepository },
  { provide: RefreshTokenRepository, useClass: TypeOrmRefreshTokenRepository },
  { provide: TenantMemberRepository, useClass: TypeOrmTenantMemberRepository },
  { provide: TokenIssuanceStatsRepository, useClass: TypeOrmTokenIssuanceStatsRepository },
].map(({ provide, useClass }) => ({
  provide,
  inject: [DataSource],
  useFactory: (dataSource: DataSource) => new useClass(dataSource),
}));

/**
 * The in-process store starts empty at every start, so the revocations of the previous run are gone:
 * it records its start as the moment data was lost, and every access token issued before it counts
 * as revoked (fail closed, as the Redis store does after a restart without persistence).
 */
async function startInMemoryStore(clock: Clock): Promise<InMemoryShortLivedStateStore> {
  const store = new InMemoryShortLivedStateStore({ clock });
  // Tokens with `iat` up to the second before this start are revoked; the previous process cannot
  // have issued one within this very second (it stopped before this one opened its database).
  await store.put(STORE_DATA_LOST_AT_KEY, String(Math.floor(clock.now() / 1000) - 1), 10 * 365 * 86_400_000);
  return store;
}

@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        {
          provide: EMBEDDED_POSTGRES,
          useFactory: async () =>
            options.databaseUrl ? null : startEmbeddedPostgres({ dataDir: options.dataDir, logger: options.logger }),
        },
        {
          provide: DataSource,
          inject: [EMBEDDED_POSTGRES],
          useFactory: async (embedded: RunningEmbeddedPostgres | null) => {
            const dataSource = createDataSource(options.databaseUrl ?? embedded!.url);
            await dataSource.initialize();
            const applied = await runMigrations(dataSource);
            if (applied.length > 0) options.logger.info({ migrations: applied }, 'database migrations applied');
            return dataSource;
          },
        },
        {
          provide: ShortLivedStateStore,
          // The application's Clock (DomainModule provides it globally): the in-process store's TTLs run on it.
          inject: [Clock],
          useFactory: async (clock: Clock) =>
            options.redisUrl
              ? RedisShortLivedStateStore.connect({ url: options.redisUrl, logger: options.logger, clientName: 'tessera' })
              : startInMemoryStore(clock),
        },
        {
          provide: InvalidationBus,
          useFactory: async () =>
            options.redisUrl ? RedisInvalidationBus.connect(options.redisUrl, options.logger) : new InProcessInvalidationBus(),
        },
        ...repositories,
        PersistenceLifecycle,
      ],
      exports: [DataSource, ShortLivedStateStore, InvalidationBus, ...repositories.map((r) => r.provide)],
    };
  }
}
