import { Module } from '@nestjs/common';
import { ClientCredentialsGrant, ClientCredentialsModule } from '@tessera/grant-client-credentials';
import { GRANT_HANDLERS, type GrantHandler } from '@tessera/oauth-core';
import { ClientAuthenticator } from './client-authenticator.js';
import { DiscoveryController } from './discovery.controller.js';
import { IntrospectionController } from './introspection.controller.js';
import { RevocationController } from './revocation.controller.js';
import { TenantContextResolver } from './tenant-context.resolver.js';
import { TokenController } from './token.controller.js';

/**
 * The grants this server speaks: one self-describing module each. Adding a grant is adding its
 * module and handler here; the token endpoint dispatches on `grant_type`.
 */
const GRANTS = [{ module: ClientCredentialsModule, handler: ClientCredentialsGrant }];

@Module({
  imports: GRANTS.map((g) => g.module),
  controllers: [TokenController, IntrospectionController, RevocationController, DiscoveryController],
  providers: [
    TenantContextResolver,
    ClientAuthenticator,
    {
      provide: GRANT_HANDLERS,
      inject: GRANTS.map((g) => g.handler),
      useFactory: (...handlers: GrantHandler[]) => handlers,
    },
  ],
})
export class OAuthModule {}
