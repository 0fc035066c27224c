import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { KeysService } from '@tessera/keys';
import { TenantContextResolver } from './tenant-context.resolver.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
const TOKEN_AUTH_METHODS = [...CLIENT_AUTH_METHODS, 'none'];

/**
 * Authorization server metadata (RFC 8414) and OpenID Provider metadata (OIDC Discovery 1.0): the same
 * document at both addresses, listing only what is implemented.
 */
@ApiExcludeController()
@Controller()
export class DiscoveryController {
  constructor(
    private readonly tenants: TenantContextResolver,
    private readonly keys: KeysService,
  ) {}

  @Get('t/:tenant/.well-known/openid-configuration')
  @Header('Cache-Control', 'public, max-age=300')
  openIdConfiguration(@Param('tenant') slug: string): Promise<Record<string, unknown>> {
    return this.metadata(slug);
  }

  /** RFC 8414 section 3.1: the well-known segment goes between host and the issuer's path. */
  @Get('.well-known/oauth-authorization-server/t/:tenant')
  @Header('Cache-Control', 'public, max-age=300')
  oauthAuthorizationServer(@Param('tenant') slug: string): Promise<Record<string, unknown>> {
    return this.metadata(slug);
  }

  @Get('t/:tenant/oauth2/jwks')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Content-Type', 'application/jwk-set+json')
  async jwks(@Param('tenant') slug: string): Promise<{ keys: unknown[] }> {
    const tenant = await this.tenants.resolve(slug);
    return this.keys.jwks(tenant.id);
  }

  private async metadata(slug: string): Promise<Record<string, unknown>> {
    const { issuer, settings } = await this.tenants.resolve(slug);
    const endpoint = (name: string) => `${issuer}/oauth2/${name}`;
    // The legacy grants are supported exactly while the tenant enables them (a client still needs
    // them in its grantTypes); the implicit flow answers in the fragment.
    const implicit = settings.implicitGrantEnabled;
    return {
      issuer,
      authorization_endpoint: endpoint('authorize'),
      token_endpoint: endpoint('token'),
      userinfo_endpoint: endpoint('userinfo'),
      end_session_endpoint: endpoint('logout'),
      jwks_uri: endpoint('jwks'),
      introspection_endpoint: endpoint('introspect'),
      revocation_endpoint: endpoint('revoke'),
      grant_types_supported: [
        'authorization_code',
        'refresh_token',
        'client_credentials',
        ...(settings.passwordGrantEnabled ? ['password'] : []),
        ...(implicit ? ['implicit'] : []),
      ],
      response_types_supported: implicit ? ['code', 'token'] : ['code'],
      response_modes_supported: implicit ? ['query', 'fragment'] : ['query'],
      code_challenge_methods_supported: ['S256'],
      // OIDC Core 6: no request objects. Discovery 1.0 takes an omitted request_uri_parameter_supported for true.
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      // RFC 9207
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'name', 'preferred_username', 'email', 'email_verified', 'updated_at'],
      prompt_values_supported: ['none', 'login', 'consent'],
      // OIDC Discovery 3: RS256 MUST be listed; each client picks one (id_token_signed_response_alg).
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      token_endpoint_auth_methods_supported: TOKEN_AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: TOKEN_AUTH_METHODS,
      // RFC 9068: access tokens are JWTs signed with the tenant's ES256 key.
      access_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['public'],
    };
  }
}
