import { isValidCodeChallenge } from './pkce.js';
import {
  InvalidRequestError,
  OAuthError,
  RequestNotSupportedError,
  RequestUriNotSupportedError,
  UnsupportedResponseTypeError,
} from './oauth-error.js';
import { parseScope } from './scope-set.js';

/** Parameters of the authorization endpoint (RFC 6749 4.1.1 / 4.2.1, RFC 7636 4.3, OIDC Core 3.1.2.1). */
export const AUTHORIZATION_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'max_age',
  'response_mode',
  'login_hint',
  'request',
  'request_uri',
] as const;
export type AuthorizationParameter = (typeof AUTHORIZATION_PARAMETERS)[number];

export type Prompt = 'none' | 'login' | 'consent';

/** A validated authorization request, ready to be kept while the user signs in and consents. */
export interface AuthorizationRequest {
  responseType: 'code' | 'token';
  clientId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  prompt: Prompt[];
  maxAge?: number;
  loginHint?: string;
}

/**
 * Errors found once the client and redirect URI are known: they go back to the client by redirect
 * (RFC 6749 section 4.1.2.1), with state and iss.
 */
export class RedirectableError {
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly responseMode: 'query' | 'fragment',
  ) {}
}

export function responseModeOf(responseType: string | undefined): 'query' | 'fragment' {
  return responseType === 'token' ? 'fragment' : 'query';
}

/**
 * The checks after client and redirect URI, in the order RFC 6749 and OIDC list them. Throws an
 * OAuthError to be sent back by redirect.
 */
export function checkAuthorizationParameters(
  params: Partial<Record<AuthorizationParameter, string>>,
): Omit<AuthorizationRequest, 'clientId' | 'redirectUri' | 'redirectUriGiven'> {
  const responseType = params.response_type;
  if (!responseType) throw new InvalidRequestError('response_type is required');
  if (responseType !== 'code' && responseType !== 'token') {
    throw new UnsupportedResponseTypeError('only response_type=code (and token where enabled) is supported');
  }
  // OIDC Core 6.1 and 6.2: request objects are optional; an OP without them MUST answer these codes.
  if (params.request !== undefined) throw new RequestNotSupportedError('request objects (request) are not supported');
  if (params.request_uri !== undefined) throw new RequestUriNotSupportedError('request objects by reference (request_uri) are not supported');
  if (params.response_mode !== undefined && params.response_mode !== responseModeOf(responseType)) {
    throw new InvalidRequestError(`response_mode must be ${responseModeOf(responseType)} for response_type=${responseType}`);
  }
  const scopes = parseScope(params.scope);
  const prompt = checkPrompt(params.prompt);
  let maxAge: number | undefined;
  if (params.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(params.max_age)) throw new InvalidRequestError('max_age must be a non-negative integer');
    maxAge = Number(params.max_age);
  }
  let codeChallenge: string | undefined;
  if (responseType === 'code') {
    // RFC 9700 section 2.1.1 and CONTRACT.md: PKCE with S256 for every client; plain is refused.
    if (!params.code_challenge) throw new InvalidRequestError('code_challenge is required (PKCE, S256)');
    if (params.code_challenge_method !== 'S256') throw new InvalidRequestError('code_challenge_method must be S256');
    if (!isValidCodeChallenge(params.code_challenge)) throw new InvalidRequestError('code_challenge is malformed');
    codeChallenge = params.code_challenge;
  } else if (scopes.includes('openid') && !params.nonce) {
    // OIDC Core 3.2.2.1: nonce is required in the implicit flow.
    throw new InvalidRequestError('nonce is required for the implicit flow');
  }
  return {
    responseType,
    scopes,
    state: params.state,
    codeChallenge,
    nonce: params.nonce,
    prompt,
    maxAge,
    loginHint: params.login_hint,
  };
}

function checkPrompt(raw: string | undefined): Prompt[] {
  if (raw === undefined) return [];
  const values = [...new Set(raw.split(' '))];
  for (const v of values) {
    if (v !== 'none' && v !== 'login' && v !== 'consent') {
      throw new InvalidRequestError(`prompt value ${v.slice(0, 32)} is not supported`);
    }
  }
  // OIDC Core 3.1.2.1: none with any other value is an error.
  if (values.includes('none') && values.length > 1) throw new InvalidRequestError('prompt=none cannot be combined');
  return values as Prompt[];
}


