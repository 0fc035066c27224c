import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PersistenceModule } from '@tessera/persistence';
import type { Logger } from 'pino';
import { AccountModule } from './account/account.module.js';
import { AdminModule } from './admin/admin.module.js';
import type { AppConfig } from './config/index.js';
import { DomainModule } from './domain.module.js';
import { AdminRateLimitGuard } from './http/admin-rate-limit.guard.js';
import { FallbackFilter } from './http/fallback.filter.js';
import { OAuthErrorFilter } from './http/oauth-error.filter.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { OperationsModule } from './operations/operations.module.js';
import type { ShutdownDrain } from './operations/shutdown-drain.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger, print: (line: string) => void, drain: ShutdownDrain): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PersistenceModule.forRoot({
          databaseUrl: config.databaseUrl,
          redisUrl: config.redisUrl,
          dataDir: config.dataDir,
          logger: logger.child({ component: 'persistence' }),
        }),
        DomainModule.forRoot(config),
        OAuthModule.forRoot(config.keyEncryptionKey),
        AdminModule.forRoot({ bootstrapAdmin: config.bootstrapAdmin, bootstrapClient: config.bootstrapClient, print }),
        AccountModule,
        OperationsModule.forRoot(config, drain),
      ],
      providers: [
        // Nest tries filters from the last registered to the first: typed filters win over the fallback.
        { provide: APP_FILTER, useClass: FallbackFilter },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_FILTER, useClass: OAuthErrorFilter },
        // Runs before every controller's own guards: the admin API's per-token rate limit.
        { provide: APP_GUARD, useClass: AdminRateLimitGuard },
      ],
    };
  }
}
