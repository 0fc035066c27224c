import { Controller, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  GRANT_HANDLERS,
  InvalidRequestError,
  RateLimitedError,
  readParams,
  UnsupportedGrantTypeError,
  type GrantHandler,
  type TokenResponse,
} from '@tessera/oauth-core';
import { RateLimiter } from '@tessera/throttling';
import { TokenIssuanceStats } from '@tessera/tokens';
import type { FastifyRequest } from 'fastify';
import { ClientAuthenticator } from './client-authenticator.js';
import { formBody } from './form-body.js';
import { TenantContextResolver } from './tenant-context.resolver.js';

/**
 * The token endpoint (RFC 6749 section 3.2): tenant → client authentication → the client's rate
 * limit → the handler of `grant_type`, which sees only the parameters it declared.
 */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class TokenController {
  private readonly handlers: ReadonlyMap<string, GrantHandler>;

  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly clientAuthenticator: ClientAuthenticator,
    private readonly limits: RateLimiter,
    private readonly issuance: TokenIssuanceStats,
    @Inject(GRANT_HANDLERS) handlers: GrantHandler[],
  ) {
    this.handlers = new Map(handlers.map((h) => [h.grantType, h]));
  }

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(@Param('tenant') slug: string, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const body = formBody(request);
    const tenant = await this.tenants.resolve(slug);
    const { grant_type: grantType } = readParams(body, ['grant_type']);
    if (!grantType) throw new InvalidRequestError('grant_type is required');
    const handler = this.handlers.get(grantType);
    if (!handler) throw new UnsupportedGrantTypeError('this grant type is not supported');
    const client = await this.clientAuthenticator.authenticate(tenant, request.headers.authorization, body);
    // Counted per authenticated client, so that nobody else can spend a client's allowance.
    const exceeded = await this.limits.consume(tenant.slug, 'tokenPerClient', client.clientId);
    if (exceeded) throw new RateLimitedError('too many token requests from this client; retry later', exceeded.retryAfterSeconds);
    const response = await handler.handle({
      tenant,
      client,
      params: readParams(body, handler.parameters),
      meta: { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
    });
    // In memory only: the counts reach the database in batches, never on this request's path.
    this.issuance.record(tenant, handler.grantType);
    return response;
  }
}
