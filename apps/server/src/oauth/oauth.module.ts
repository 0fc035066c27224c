import { createHmac } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { AuthorizationCodeGrant, AuthorizationCodeModule } from '@tessera/grant-authorization-code';
import { ClientCredentialsGrant, ClientCredentialsModule } from '@tessera/grant-client-credentials';
import { ImplicitModule } from '@tessera/grant-implicit';
import { PasswordGrant, PasswordModule } from '@tessera/grant-password';
import { RefreshTokenGrant, RefreshTokenModule } from '@tessera/grant-refresh-token';
import { GRANT_HANDLERS, type GrantHandler } from '@tessera/oauth-core';
import { AuthorizationFlow } from '../interaction/authorization-flow.service.js';
import { InteractionController } from '../interaction/interaction.controller.js';
import { InteractionStore } from '../interaction/interaction.store.js';
import { PageRenderer } from '../interaction/page.renderer.js';
import { InteractionOptions, SessionService } from '../interaction/session.service.js';
import { AuthorizeController } from './authorize.controller.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { DiscoveryController } from './discovery.controller.js';
import { IntrospectionController } from './introspection.controller.js';
import { LogoutController } from './logout.controller.js';
import { RevocationController } from './revocation.controller.js';
import { TenantContextResolver } from './tenant-context.resolver.js';
import { TokenController } from './token.controller.js';
import { UserinfoController } from './userinfo.controller.js';

/**
 * The grants the token endpoint speaks: one self-describing module each. Adding a grant is adding
 * its module and handler here; the token endpoint dispatches on `grant_type`. The implicit flow is
 * not a token-endpoint grant: its module serves the authorization endpoint.
 */
const GRANTS = [
  { module: AuthorizationCodeModule, handler: AuthorizationCodeGrant },
  { module: RefreshTokenModule, handler: RefreshTokenGrant },
  { module: ClientCredentialsModule, handler: ClientCredentialsGrant },
  { module: PasswordModule, handler: PasswordGrant },
];

@Module({})
export class OAuthModule {
  static forRoot(keyEncryptionKey: Buffer): DynamicModule {
    const interaction: InteractionOptions = {
      csrfKey: createHmac('sha256', keyEncryptionKey).update('tessera/csrf/v1').digest(),
    };
    return {
      module: OAuthModule,
      imports: [...GRANTS.map((g) => g.module), ImplicitModule],
      controllers: [
        AuthorizeController,
        InteractionController,
        TokenController,
        IntrospectionController,
        RevocationController,
        UserinfoController,
        LogoutController,
        DiscoveryController,
      ],
      providers: [
        TenantContextResolver,
        ClientAuthenticator,
        SessionService,
        InteractionStore,
        AuthorizationFlow,
        PageRenderer,
        { provide: InteractionOptions, useValue: interaction },
        {
          provide: GRANT_HANDLERS,
          inject: GRANTS.map((g) => g.handler),
          useFactory: (...handlers: GrantHandler[]) => handlers,
        },
      ],
      exports: [SessionService, TenantContextResolver],
    };
  }
}
