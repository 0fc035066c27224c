import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService } from '@tessera/audit';
import { ClientsService } from '@tessera/clients';
import { matchRedirectUri, OAuthError, readParams, rejectRepeated } from '@tessera/oauth-core';
import { TenantsService } from '@tessera/tenancy';
import { IdTokenService } from '@tessera/tokens';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer } from '../interaction/page.renderer.js';
import { confirmLogoutPage, signedOutPage } from '../interaction/pages.js';
import { SessionService } from '../interaction/session.service.js';

/** The CSRF binding of the logout confirmation form. */
const LOGOUT_FORM = 'logout';

/**
 * OpenID Connect RP-Initiated Logout 1.0: ends the tenant session of this browser, then returns to a
 * `post_logout_redirect_uri` only if the client (from `id_token_hint` or `client_id`) registered it.
 */
@ApiExcludeController()
@Controller('t/:tenant/oauth2')
export class LogoutController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly idTokens: IdTokenService,
    private readonly sessions: SessionService,
    private readonly pages: PageRenderer,
    private readonly audit: AuditService,
  ) {}

  @Get('logout')
  logoutGet(@Param('tenant') slug: string, @Query() query: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.logout(slug, query, request, reply);
  }

  @Post('logout')
  logoutPost(@Param('tenant') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.logout(slug, request.body, request, reply);
  }

  private async logout(slug: string, raw: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tenant = await this.tenants.resolve(slug);
    if (!tenant) return this.pages.sendError(reply, null, 'Unknown tenant', 'There is no such sign-in service.', 404);
    let params;
    try {
      rejectRepeated(raw);
      params = readParams(raw, ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id', 'csrf', 'confirm']);
    } catch (error) {
      if (error instanceof OAuthError) return this.pages.sendError(reply, tenant, 'Invalid request', error.description, 400);
      throw error;
    }
    const context = this.tenants.context(tenant);
    const hint = params.id_token_hint ? await this.idTokens.readHint(context, params.id_token_hint) : null;
    if (params.id_token_hint && !hint) return this.pages.sendError(reply, tenant, 'Invalid request', 'The id_token_hint was not issued here.', 400);
    const clientId = hint?.aud ?? params.client_id;
    if (hint && params.client_id && params.client_id !== hint.aud) {
      return this.pages.sendError(reply, tenant, 'Invalid request', 'client_id does not match the id_token_hint.', 400);
    }
    let target: string | null = null;
    if (params.post_logout_redirect_uri) {
      const client = clientId ? await this.clients.find(tenant.id, clientId) : null;
      if (!client || !matchRedirectUri(params.post_logout_redirect_uri, client.postLogoutRedirectUris)) {
        return this.pages.sendError(reply, tenant, 'Invalid request', 'The post_logout_redirect_uri is not registered for this application.', 400);
      }
      target = params.post_logout_redirect_uri;
    }
    // Without a hint the request may come from any page: the user confirms (a CSRF-protected form).
    if (!hint && !(request.method === 'POST' && params.confirm === 'yes' && this.sessions.checkCsrf(request, LOGOUT_FORM, params.csrf))) {
      const carried: Record<string, string> = {};
      for (const name of ['post_logout_redirect_uri', 'state', 'client_id'] as const) {
        if (params[name] !== undefined) carried[name] = params[name];
      }
      return this.pages.send(
        reply,
        confirmLogoutPage(this.pages.branding(tenant), {
          action: `${context.issuer}/oauth2/logout`,
          csrf: this.sessions.csrfToken(request, reply, tenant.slug, LOGOUT_FORM),
          carried,
        }),
        target ? [target] : [],
      );
    }
    const session = await this.sessions.current(request, tenant.id);
    await this.sessions.end(request, reply, tenant);
    if (session) {
      await this.audit.record(
        { actor: { type: 'user', id: session.userId, label: null }, ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        tenant.id,
        'user.signed_out',
        { type: 'user', id: session.userId },
        { clientId: clientId ?? null },
      );
    }
    if (target) {
      const url = new URL(target);
      if (params.state !== undefined) url.searchParams.set('state', params.state);
      return reply.header('Cache-Control', 'no-store').redirect(url.toString(), 303);
    }
    this.pages.send(reply, signedOutPage(this.pages.branding(tenant)));
  }
}
