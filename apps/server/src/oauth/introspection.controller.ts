import { Controller, Header, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InvalidRequestError, readParams } from '@tessera/oauth-core';
import { IntrospectionService, type IntrospectionResponse } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from './client-authenticator.js';
import { formBody } from './form-body.js';
import { TenantContextResolver } from './tenant-context.resolver.js';

/** RFC 7662: token introspection, for confidential clients (resource servers) of the tenant. */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class IntrospectionController {
  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly clientAuthenticator: ClientAuthenticator,
    private readonly introspection: IntrospectionService,
  ) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async introspect(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<IntrospectionResponse> {
    const body = formBody(request);
    const tenant = await this.tenants.resolve(slug);
    const client = await this.clientAuthenticator.authenticateConfidential(tenant, request.headers.authorization, body);
    const { token, token_type_hint: hint } = readParams(body, ['token', 'token_type_hint']);
    if (!token) throw new InvalidRequestError('token is required');
    return this.introspection.introspect(tenant, token, client, hint);
  }
}
