import type { AuthorizationCodeGrant } from '../authorization-code.service.js';

/** What a code is bound to, valid by default (PKCE S256 challenge of RFC 7636 appendix B). */
export function newAuthorizationCodeGrant(overrides: Partial<AuthorizationCodeGrant> = {}): AuthorizationCodeGrant {
  return {
    clientId: 'web',
    redirectUri: 'https://app.example/cb',
    redirectUriGiven: true,
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    scopes: ['openid'],
    userId: 'user-1',
    authTime: 1_900_000_000,
    ...overrides,
  };
}
