import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ClientsService, type Client } from '@tessera/clients';
import { ImplicitGrant } from '@tessera/grant-implicit';
import {
  AUTHORIZATION_PARAMETERS,
  checkAuthorizationParameters,
  checkScope,
  InvalidScopeError,
  matchRedirectUri,
  OAuthError,
  readParams,
  rejectRepeated,
  TemporarilyUnavailableError,
  UnauthorizedClientError,
  type AuthorizationRequest,
  type TenantContext,
} from '@tessera/oauth-core';
import { ScopesService, TenantsService, type Tenant } from '@tessera/tenancy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isUnavailableError } from '../http/error-shape.js';
import { AuthorizationFlow } from '../interaction/authorization-flow.service.js';
import { PageRenderer } from '../interaction/page.renderer.js';
import { SessionService } from '../interaction/session.service.js';

type AuthorizationParams = ReturnType<typeof readParams<(typeof AUTHORIZATION_PARAMETERS)[number]>>;

/**
 * The authorization endpoint (RFC 6749 section 3.1, OIDC Core 3.1.2). Client and redirect URI are
 * checked first: while either is unknown, nothing may redirect, so errors are an HTML page (400).
 * Every later error goes back to the client by redirect, with `state` and `iss`.
 */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class AuthorizeController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly scopes: ScopesService,
    private readonly sessions: SessionService,
    private readonly flow: AuthorizationFlow,
    private readonly implicit: ImplicitGrant,
    private readonly pages: PageRenderer,
  ) {}

  @Get('authorize')
  authorizeGet(@Param('tenant') slug: string, @Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.authorize(slug, query, request, reply);
  }

  /** OIDC Core 3.1.2.1: the endpoint also accepts form posts. */
  @Post('authorize')
  authorizePost(@Param('tenant') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.authorize(slug, request.body, request, reply);
  }

  private async authorize(slug: string, raw: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tenant = await this.tenants.resolve(slug);
    if (!tenant) return this.pages.sendError(reply, null, 'Unknown tenant', 'There is no such sign-in service.', 404);
    const context = this.tenants.context(tenant);
    const found = await this.clientAndRedirect(tenant, raw);
    if ('problem' in found) return this.pages.sendError(reply, tenant, 'Invalid request', found.problem, 400);
    const { client, redirectUri, redirectUriGiven, params, invalid } = found;
    const responseType = params.response_type === 'token' ? 'token' : 'code';
    if (invalid) return this.flow.redirectError(reply, context, { redirectUri, state: params.state, responseType }, invalid);
    try {
      await this.continueWithValidRedirect(context, client, { redirectUri, redirectUriGiven, params, responseType }, request, reply);
    } catch (error) {
      // Fail closed, but by the channel the client reads once the redirect URI is known (RFC 6749
      // section 4.1.2.1): a store that is down is `temporarily_unavailable`, never a half-made code.
      if (!isUnavailableError(error)) throw error;
      return this.flow.redirectError(
        reply,
        context,
        { redirectUri, state: params.state, responseType },
        new TemporarilyUnavailableError('the authorization server is temporarily unavailable; try again shortly'),
      );
    }
  }

  private async continueWithValidRedirect(
    context: TenantContext,
    client: Client,
    found: { redirectUri: string; redirectUriGiven: boolean; params: AuthorizationParams; responseType: 'code' | 'token' },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const { redirectUri, redirectUriGiven, params, responseType } = found;
    let authorization: AuthorizationRequest;
    try {
      const checked = checkAuthorizationParameters(params);
      authorization = { ...checked, clientId: client.clientId, redirectUri, redirectUriGiven };
      this.checkGrant(context, client, authorization);
      authorization.scopes = checkScope(authorization.scopes, client.scopes, []);
      // The tenant may have deleted a scope its clients still list.
      if ((await this.scopes.unknownScopes(context.id, authorization.scopes, 'scope')).length > 0) {
        throw new InvalidScopeError('a requested scope is not defined in this tenant');
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return this.flow.redirectError(reply, context, { redirectUri, state: params.state, responseType }, error);
    }
    const session = await this.sessions.current(request, context.id);
    await this.flow.proceed(reply, context, client, null, { request: authorization }, session, {
      actor: { type: 'user', id: session?.userId ?? null, label: null },
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    });
  }

  /**
   * Steps 1 and 2: the client exists in this tenant and the redirect URI is one it registered. A
   * repeated or malformed other parameter is then `invalid` (RFC 6749 section 4.1.2.1), for the
   * client by redirect, with whichever of `state` and `response_type` could still be read.
   */
  private async clientAndRedirect(
    tenant: Tenant,
    raw: unknown,
  ): Promise<
    | { problem: string }
    | { client: Client; redirectUri: string; redirectUriGiven: boolean; params: AuthorizationParams; invalid?: OAuthError }
  > {
    let ids;
    try {
      ids = readParams(raw, ['client_id', 'redirect_uri']);
    } catch (error) {
      if (error instanceof OAuthError) return { problem: error.description };
      throw error;
    }
    let params: AuthorizationParams = ids;
    let invalid: OAuthError | undefined;
    try {
      rejectRepeated(raw);
      params = readParams(raw, AUTHORIZATION_PARAMETERS);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      invalid = error;
      for (const name of ['state', 'response_type'] as const) params = { ...params, ...readableParam(raw, name) };
    }
    const client = ids.client_id && ids.client_id.length <= 200 ? await this.clients.find(tenant.id, ids.client_id) : null;
    if (!client) return { problem: 'The application (client_id) is not known here.' };
    if (ids.redirect_uri === undefined) {
      // RFC 6749 section 3.1.2.3: may be omitted only when exactly one is registered; OIDC always wants it.
      if (client.redirectUris.length !== 1 || invalid || params.scope?.split(' ').includes('openid')) {
        return { problem: invalid ? invalid.description : 'The request has no redirect_uri.' };
      }
      return { client, redirectUri: client.redirectUris[0]!, redirectUriGiven: false, params };
    }
    if (!matchRedirectUri(ids.redirect_uri, client.redirectUris)) {
      return { problem: 'The redirect_uri is not registered for this application.' };
    }
    return { client, redirectUri: ids.redirect_uri, redirectUriGiven: true, params, invalid };
  }

  private checkGrant(tenant: TenantContext, client: Client, request: AuthorizationRequest): void {
    if (request.responseType === 'code' && !client.grantTypes.includes('authorization_code')) {
      throw new UnauthorizedClientError('the client is not allowed to use the authorization code flow');
    }
    if (request.responseType === 'token' && !this.implicit.allowed(tenant, client)) {
      throw new UnauthorizedClientError('the implicit flow is not enabled for this client');
    }
  }
}

/** One parameter if it is well-formed, else nothing (it is not echoed back). */
function readableParam(raw: unknown, name: 'state' | 'response_type'): Partial<Record<typeof name, string>> {
  try {
    return readParams(raw, [name]);
  } catch (error) {
    if (error instanceof OAuthError) return {};
    throw error;
  }
}
