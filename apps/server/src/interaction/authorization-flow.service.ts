import { Injectable } from '@nestjs/common';
import { AuditService, type RequestOrigin } from '@tessera/audit';
import { ClientsService, type Client } from '@tessera/clients';
import { Clock } from '@tessera/clock';
import { ConsentsService } from '@tessera/consents';
import { ImplicitGrant } from '@tessera/grant-implicit';
import {
  AccessDeniedError,
  ConsentRequiredError,
  LoginRequiredError,
  OAuthError,
  responseModeOf,
  type AuthorizationRequest,
  type TenantContext,
} from '@tessera/oauth-core';
import { GrantableScopesPolicy } from '@tessera/tenancy';
import { AuthorizationCodeService, TokenIssuanceStats } from '@tessera/tokens';
import type { FastifyReply } from 'fastify';
import { InteractionStore, type Interaction } from './interaction.store.js';
import type { Session } from './session.service.js';

/** Who signed in, when, and at which of the user's sessionVersions. */
type SignIn = Required<Pick<Interaction, 'userId' | 'authTime'>> & Pick<Interaction, 'sessionVersion'>;

/**
 * The steps after a valid authorization request: sign-in (unless a fitting session exists), consent
 * (unless first-party or remembered), then the response to the client by redirect. Each step that
 * needs the user sends the browser to a page of its interaction.
 */
@Injectable()
export class AuthorizationFlow {
  constructor(
    private readonly interactions: InteractionStore,
    private readonly consents: ConsentsService,
    private readonly clients: ClientsService,
    private readonly codes: AuthorizationCodeService,
    private readonly implicit: ImplicitGrant,
    private readonly audit: AuditService,
    private readonly grantable: GrantableScopesPolicy,
    private readonly issuance: TokenIssuanceStats,
    private readonly clock: Clock,
  ) {}

  /** Decides the next step for an interaction whose user may or may not be known yet. */
  async proceed(
    reply: FastifyReply,
    tenant: TenantContext,
    client: Client,
    interactionId: string | null,
    interaction: Interaction,
    session: Session | null,
    origin: RequestOrigin,
  ): Promise<void> {
    const request = interaction.request;
    const user: SignIn | null = interaction.userId
      ? { userId: interaction.userId, authTime: interaction.authTime!, sessionVersion: interaction.sessionVersion }
      : this.usableSession(request, session);
    if (!user) {
      if (request.prompt.includes('none')) return this.redirectError(reply, tenant, request, new LoginRequiredError('the user is not signed in'));
      const id = interactionId ?? (await this.interactions.create(tenant.id, interaction));
      return this.goTo(reply, tenant, id, 'login');
    }
    const withUser: Interaction = { ...interaction, ...user };
    if (!client.firstParty) {
      const remembered = request.prompt.includes('consent')
        ? null
        : await this.consents.covers(tenant.id, user.userId, client.id, request.scopes);
      if (!remembered) {
        if (request.prompt.includes('none')) {
          return this.redirectError(reply, tenant, request, new ConsentRequiredError('the user has not consented to these scopes'));
        }
        const id = interactionId ?? (await this.interactions.create(tenant.id, withUser));
        if (interactionId) await this.interactions.update(tenant.id, id, withUser);
        return this.goTo(reply, tenant, id, 'consent');
      }
      await this.consents.touch(tenant.id, remembered.id);
    }
    if (interactionId && !(await this.interactions.finish(tenant.id, interactionId))) {
      return this.redirectError(reply, tenant, request, new AccessDeniedError('this sign-in was already completed'));
    }
    return this.respond(reply, tenant, client, withUser, origin, false);
  }

  /** The user answered the consent page. */
  async decide(
    reply: FastifyReply,
    tenant: TenantContext,
    client: Client,
    interactionId: string,
    interaction: Interaction,
    allow: boolean,
    origin: RequestOrigin,
  ): Promise<void> {
    if (!(await this.interactions.finish(tenant.id, interactionId))) {
      return this.redirectError(reply, tenant, interaction.request, new AccessDeniedError('this request was already answered'));
    }
    const target = { type: 'client', id: client.clientId };
    if (!allow) {
      await this.audit.record(origin, tenant.id, 'consent.denied', target, { userId: interaction.userId, scopes: interaction.request.scopes });
      return this.redirectError(reply, tenant, interaction.request, new AccessDeniedError('the user denied the request'));
    }
    const consent = await this.consents.grant(tenant.id, interaction.userId!, client.id, interaction.request.scopes);
    await this.audit.record(origin, tenant.id, 'consent.given', target, {
      userId: interaction.userId,
      consentId: consent.id,
      scopes: interaction.request.scopes,
    });
    return this.respond(reply, tenant, client, interaction, origin, true);
  }

  redirectError(reply: FastifyReply, tenant: TenantContext, request: Pick<AuthorizationRequest, 'redirectUri' | 'state' | 'responseType'>, error: OAuthError): void {
    const params: Record<string, string> = { error: error.error, error_description: error.description };
    if (request.state !== undefined) params['state'] = request.state;
    params['iss'] = tenant.issuer;
    this.redirect(reply, request.redirectUri, params, responseModeOf(request.responseType));
  }

  /** The session's sign-in, if it fits the request (SessionService has already checked that it stands). */
  private usableSession(request: AuthorizationRequest, session: Session | null): SignIn | null {
    if (!session || request.prompt.includes('login')) return null;
    // OIDC Core 3.1.2.1: max_age asks for a sign-in no older than that many seconds.
    if (request.maxAge !== undefined && this.clock.now() / 1000 - session.authTime > request.maxAge) return null;
    return { userId: session.userId, authTime: session.authTime, sessionVersion: session.sessionVersion };
  }

  /** `consentGiven`: the user allowed this very request on the consent page (not a remembered consent). */
  private async respond(
    reply: FastifyReply,
    tenant: TenantContext,
    client: Client,
    interaction: Interaction,
    origin: RequestOrigin,
    consentGiven: boolean,
  ): Promise<void> {
    const { request } = interaction;
    const user = { userId: interaction.userId!, authTime: interaction.authTime! };
    // RFC 6749 section 3.3: the grant may be narrower than the request (the token response says so).
    const scopes = await this.grantable.grantable(tenant, user.userId, withoutUnconsentedOfflineAccess(request, client, consentGiven));
    if (request.responseType === 'token') {
      const authenticated = this.clients.describe(client);
      const fragment = await this.implicit.respond({ tenant, client: authenticated, scopes, ...user });
      this.issuance.record(tenant, 'implicit');
      await this.audit.record(origin, tenant.id, 'token.issued', { type: 'client', id: client.clientId }, { grant: 'implicit', userId: user.userId });
      return this.redirect(reply, request.redirectUri, { ...fragment, ...(request.state !== undefined ? { state: request.state } : {}), iss: tenant.issuer }, 'fragment');
    }
    const code = await this.codes.issue(tenant.id, {
      clientId: client.clientId,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      codeChallenge: request.codeChallenge!,
      scopes,
      nonce: request.nonce,
      userId: user.userId,
      authTime: user.authTime,
      sessionVersion: interaction.sessionVersion,
    });
    const params: Record<string, string> = { code };
    if (request.state !== undefined) params['state'] = request.state;
    // RFC 9207: iss in every authorization response.
    params['iss'] = tenant.issuer;
    this.redirect(reply, request.redirectUri, params, 'query');
  }

  private goTo(reply: FastifyReply, tenant: TenantContext, interactionId: string, step: 'login' | 'consent'): void {
    reply.header('Cache-Control', 'no-store').redirect(`${tenant.issuer}/interaction/${interactionId}/${step}`, 303);
  }

  private redirect(reply: FastifyReply, redirectUri: string, params: Record<string, string>, mode: 'query' | 'fragment'): void {
    const url = new URL(redirectUri);
    if (mode === 'query') {
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    } else {
      url.hash = new URLSearchParams(params).toString();
    }
    reply.header('Cache-Control', 'no-store').redirect(url.toString(), 303);
  }
}

/**
 * OIDC Core 11: an OpenID request for offline_access needs consent obtained for it, which
 * prompt=consent asks for; a remembered consent is not enough. Short of that (or of a first-party
 * client, whose registration stands for it), offline_access is ignored and no refresh token issued.
 */
function withoutUnconsentedOfflineAccess(request: AuthorizationRequest, client: Client, consentGiven: boolean): string[] {
  const ignore = request.scopes.includes('openid') && !client.firstParty && !consentGiven;
  return ignore ? request.scopes.filter((scope) => scope !== 'offline_access') : request.scopes;
}
