import { Controller, Get, Header, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InsufficientScopeError, InvalidTokenError } from '@tessera/oauth-core';
import { IntrospectionService } from '@tessera/tokens';
import { UsersService } from '@tessera/users';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from './bearer-token.js';
import { TenantContextResolver } from './tenant-context.resolver.js';

/** OIDC Core section 5.3: claims about the signed-in user, by scope (5.4). */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class UserinfoController {
  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly introspection: IntrospectionService,
    private readonly users: UsersService,
  ) {}

  @Get('userinfo')
  @Header('Cache-Control', 'no-store')
  get(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<Record<string, unknown>> {
    return this.userinfo(slug, request);
  }

  @Post('userinfo')
  @Header('Cache-Control', 'no-store')
  post(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<Record<string, unknown>> {
    return this.userinfo(slug, request);
  }

  private async userinfo(slug: string, request: FastifyRequest): Promise<Record<string, unknown>> {
    const tenant = await this.tenants.resolve(slug);
    const claims = await this.introspection.activeClaims(tenant, bearerToken(request));
    if (!claims) throw new InvalidTokenError('the access token is invalid, expired or revoked');
    const scopes = new Set(claims.scope.split(' '));
    if (!scopes.has('openid')) throw new InsufficientScopeError('the access token lacks scope openid');
    const user = await this.users.find(tenant.id, claims.sub);
    if (!user || user.disabled) throw new InvalidTokenError('the user of this token no longer exists');
    const body: Record<string, unknown> = { sub: user.id };
    if (scopes.has('profile')) {
      body['preferred_username'] = user.username;
      if (user.name !== null) body['name'] = user.name;
      body['updated_at'] = Math.floor(user.updatedAt.getTime() / 1000);
    }
    if (scopes.has('email') && user.email !== null) {
      body['email'] = user.email;
      body['email_verified'] = user.emailVerified;
    }
    return body;
  }
}
