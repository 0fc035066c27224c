import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { ClientsService, type Client } from '@tessera/clients';
import { InvalidRequestError, OAuthError, readParams, type TenantContext } from '@tessera/oauth-core';
import { BUILT_IN_SCOPE_DESCRIPTIONS, ScopesService, TenantsService, type Tenant } from '@tessera/tenancy';
import { LoginProtection, RateLimiter, type LockState } from '@tessera/throttling';
import { UsersService } from '@tessera/users';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthorizationFlow } from './authorization-flow.service.js';
import { InteractionStore, type Interaction } from './interaction.store.js';
import { PageRenderer } from './page.renderer.js';
import { consentPage, loginPage } from './pages.js';
import { SessionService } from './session.service.js';

interface Loaded {
  tenant: Tenant;
  context: TenantContext;
  interaction: Interaction;
  client: Client;
}

/**
 * The login and consent pages of an authorization request in progress. Plain HTML forms that work
 * without JavaScript; every POST carries a CSRF token bound to this browser and this interaction.
 */
@ApiExcludeController()
@Controller('t/:tenant/interaction/:id')
export class InteractionController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly clients: ClientsService,
    private readonly users: UsersService,
    private readonly scopes: ScopesService,
    private readonly interactions: InteractionStore,
    private readonly sessions: SessionService,
    private readonly flow: AuthorizationFlow,
    private readonly pages: PageRenderer,
    private readonly audit: AuditService,
    private readonly limits: RateLimiter,
    private readonly protection: LoginProtection,
  ) {}

  @Get('login')
  async showLogin(@Param('tenant') slug: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const loaded = await this.load(slug, id, reply);
    if (!loaded) return;
    this.renderLogin(request, reply, loaded, id);
  }

  @Post('login')
  async submitLogin(@Param('tenant') slug: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const loaded = await this.load(slug, id, reply);
    if (!loaded) return;
    const form = this.form(request, ['csrf', 'username', 'password']);
    if (!form || !this.sessions.checkCsrf(request, id, form.csrf)) {
      return this.pages.sendError(reply, loaded.tenant, 'Request expired', 'The form was not sent from this sign-in page. Go back and try again.', 403);
    }
    const origin = this.origin(request, null);
    const username = form.username ?? '';
    // Rate limits first (cheap, shared by every process), then the locks: a locked username or IP
    // gets no password check at all, so nothing can be guessed while it lasts.
    const [byIp, byUsername] = await Promise.all([
      this.limits.consume(loaded.tenant.slug, 'loginPerIp', request.ip),
      username ? this.limits.consume(loaded.tenant.slug, 'loginPerUsername', username.trim().toLowerCase()) : null,
    ]);
    const exceeded = byIp ?? byUsername;
    if (exceeded) {
      return this.renderLogin(request, reply, loaded, id, form.username, 'There were too many sign-in attempts. Wait a minute, then try again.', {
        status: 429,
        retryAfterSeconds: exceeded.retryAfterSeconds,
      });
    }
    const attempt = { tenant: loaded.tenant, username, ip: request.ip, origin, via: 'login_form' };
    const lock = await this.protection.check(attempt);
    if (lock.locked) return this.renderLocked(request, reply, loaded, id, form.username, lock);
    const user = username && form.password ? await this.users.checkPassword(loaded.tenant.id, username, form.password) : null;
    if (!user) {
      // Counts the failure, locks what crossed its threshold, and answers only after the delay.
      const after = await this.protection.failed(attempt);
      await this.audit.record(origin, loaded.tenant.id, 'user.sign_in_failed', { type: 'user', id: null }, {
        username: username.slice(0, 200),
        clientId: loaded.client.clientId,
      });
      if (after.locked) return this.renderLocked(request, reply, loaded, id, form.username, after);
      return this.renderLogin(request, reply, loaded, id, form.username, 'The username or password is wrong.');
    }
    await this.protection.succeeded(attempt);
    const session = await this.sessions.start(reply, loaded.tenant, user, request);
    await this.audit.record(this.origin(request, user.id), loaded.tenant.id, 'user.signed_in', { type: 'user', id: user.id }, {
      clientId: loaded.client.clientId,
    });
    const interaction: Interaction = { ...loaded.interaction, userId: user.id, authTime: session.authTime, sessionVersion: session.sessionVersion };
    await this.interactions.update(loaded.tenant.id, id, interaction);
    await this.flow.proceed(reply, loaded.context, loaded.client, id, interaction, session, this.origin(request, user.id));
  }

  @Get('consent')
  async showConsent(@Param('tenant') slug: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const loaded = await this.loadSignedIn(slug, id, request, reply);
    if (!loaded) return;
    const user = await this.users.find(loaded.tenant.id, loaded.interaction.userId!);
    const described = await this.describeScopes(loaded.tenant.id, loaded.interaction.request.scopes);
    this.pages.send(
      reply,
      consentPage(this.pages.branding(loaded.tenant), {
        action: `${loaded.context.issuer}/interaction/${id}/consent`,
        csrf: this.sessions.csrfToken(request, reply, loaded.tenant.slug, id),
        clientName: loaded.client.name,
        scopes: described,
        username: user?.username ?? '',
      }),
      [loaded.interaction.request.redirectUri],
    );
  }

  @Post('consent')
  async submitConsent(@Param('tenant') slug: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const loaded = await this.loadSignedIn(slug, id, request, reply);
    if (!loaded) return;
    const form = this.form(request, ['csrf', 'decision']);
    if (!form || !this.sessions.checkCsrf(request, id, form.csrf)) {
      return this.pages.sendError(reply, loaded.tenant, 'Request expired', 'The form was not sent from this consent page. Go back and try again.', 403);
    }
    if (form.decision !== 'allow' && form.decision !== 'deny') {
      return this.pages.sendError(reply, loaded.tenant, 'Invalid request', 'Choose Allow or Deny.', 400);
    }
    await this.flow.decide(reply, loaded.context, loaded.client, id, loaded.interaction, form.decision === 'allow', this.origin(request, loaded.interaction.userId!));
  }

  private renderLocked(request: FastifyRequest, reply: FastifyReply, loaded: Loaded, id: string, username: string | undefined, lock: LockState): void {
    const retryAfterSeconds = lock.locked ? lock.retryAfterSeconds : 60;
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    const message = `There were too many failed sign-ins. Sign-in is paused for about ${minutes} minute${minutes === 1 ? '' : 's'}; try again later.`;
    this.renderLogin(request, reply, loaded, id, username, message, { status: 429, retryAfterSeconds });
  }

  private renderLogin(
    request: FastifyRequest,
    reply: FastifyReply,
    loaded: Loaded,
    id: string,
    username?: string,
    error?: string,
    throttled?: { status: number; retryAfterSeconds: number },
  ): void {
    if (throttled) reply.header('Retry-After', String(throttled.retryAfterSeconds));
    this.pages.send(
      reply,
      loginPage(this.pages.branding(loaded.tenant), {
        action: `${loaded.context.issuer}/interaction/${id}/login`,
        csrf: this.sessions.csrfToken(request, reply, loaded.tenant.slug, id),
        username: username ?? loaded.interaction.request.loginHint,
        error,
        clientName: loaded.client.name,
        status: throttled?.status,
      }),
      [loaded.interaction.request.redirectUri],
    );
  }

  private async load(slug: string, id: string, reply: FastifyReply): Promise<Loaded | null> {
    const tenant = await this.tenants.resolve(slug);
    const interaction = tenant ? await this.interactions.get(tenant.id, id) : null;
    const client = tenant && interaction ? await this.clients.find(tenant.id, interaction.request.clientId) : null;
    if (!tenant || !interaction || !client) {
      this.pages.sendError(reply, tenant, 'Sign-in expired', 'This sign-in request is unknown or has expired. Go back to the application and start again.', 404);
      return null;
    }
    return { tenant, context: this.tenants.context(tenant), interaction, client };
  }

  /** The consent step belongs to the browser that signed in for it. */
  private async loadSignedIn(slug: string, id: string, request: FastifyRequest, reply: FastifyReply): Promise<Loaded | null> {
    const loaded = await this.load(slug, id, reply);
    if (!loaded) return null;
    const session = await this.sessions.current(request, loaded.tenant.id);
    if (!loaded.interaction.userId || !session || session.userId !== loaded.interaction.userId) {
      this.pages.sendError(reply, loaded.tenant, 'Sign-in needed', 'Sign in again from the application to continue.', 403);
      return null;
    }
    return loaded;
  }

  private form<K extends string>(request: FastifyRequest, names: readonly K[]): Partial<Record<K, string>> | null {
    try {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') throw new InvalidRequestError('not a form');
      return readParams(request.body, names);
    } catch (error) {
      if (error instanceof OAuthError) return null;
      throw error;
    }
  }

  private async describeScopes(tenantId: string, names: readonly string[]): Promise<{ name: string; description: string }[]> {
    const custom = await this.scopes.describe(tenantId, names);
    return names.map((name) => ({ name, description: BUILT_IN_SCOPE_DESCRIPTIONS[name] ?? custom.get(name) ?? name }));
  }

  private origin(request: FastifyRequest, userId: string | null): RequestOrigin {
    return { actor: { type: 'user', id: userId, label: null }, ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
  }
}
