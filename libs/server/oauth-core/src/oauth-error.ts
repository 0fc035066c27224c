// RFC 6749 section 5.2 (token endpoint) and 4.1.2.1 (authorization endpoint) error codes, one class
// per code. Domain code throws these; one filter turns them into responses. Nothing inspects messages.

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_token'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'insufficient_scope';

export abstract class OAuthError extends Error {
  abstract readonly error: OAuthErrorCode;
  /** HTTP status used when the error is answered directly (not by redirect). */
  readonly status: number = 400;
  /** Seconds before a retry may succeed (HTTP Retry-After), for 429 and 503 answers. */
  readonly retryAfterSeconds: number | undefined = undefined;

  constructor(readonly description: string) {
    super(description);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends OAuthError {
  readonly error = 'invalid_request';
}

/**
 * RFC 6750 section 3.1: a protected resource (userinfo) got a malformed request, such as an
 * Authorization header that is no bearer token: 400 with a Bearer challenge naming the error.
 */
export class InvalidBearerRequestError extends InvalidRequestError {}

/**
 * RFC 6749 section 5.2: client authentication failed. `basicScheme` tells the filter to answer 401
 * with a `WWW-Authenticate: Basic` challenge, which is required when the client used HTTP Basic.
 */
export class InvalidClientError extends OAuthError {
  readonly error = 'invalid_client';
  override readonly status = 401;
  constructor(
    description: string,
    readonly basicScheme = false,
  ) {
    super(description);
  }
}

export class InvalidGrantError extends OAuthError {
  readonly error = 'invalid_grant';
}

export class UnauthorizedClientError extends OAuthError {
  readonly error = 'unauthorized_client';
}

export class UnsupportedGrantTypeError extends OAuthError {
  readonly error = 'unsupported_grant_type';
}

export class InvalidScopeError extends OAuthError {
  readonly error = 'invalid_scope';
}

export class AccessDeniedError extends OAuthError {
  readonly error = 'access_denied';
  override readonly status = 403;
}

export class UnsupportedResponseTypeError extends OAuthError {
  readonly error = 'unsupported_response_type';
}

export class InvalidTokenError extends OAuthError {
  readonly error = 'invalid_token';
  override readonly status = 401;
  /** False when the request carried no token at all: RFC 6750 section 3.1 then wants no error code in the challenge. */
  constructor(
    description: string,
    readonly credentialsPresent = true,
  ) {
    super(description);
  }
}

/** RFC 6749 section 4.1.2.1, used at every endpoint: a store is down; 503 with Retry-After. */
export class TemporarilyUnavailableError extends OAuthError {
  readonly error = 'temporarily_unavailable';
  override readonly status = 503;
  override readonly retryAfterSeconds: number | undefined;
  constructor(description: string, retryAfterSeconds?: number) {
    super(description);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A rate limit or a sign-in lock at an OAuth endpoint. RFC 6749 has no code for it; we answer
 * `temporarily_unavailable` (the one code that tells a client "retry later") with HTTP 429 and
 * Retry-After (RFC 6585 section 4), so clients that read only `error` still back off (docs/adr/0006).
 */
export class RateLimitedError extends OAuthError {
  readonly error = 'temporarily_unavailable';
  override readonly status = 429;
  override readonly retryAfterSeconds: number;
  constructor(description: string, retryAfterSeconds: number) {
    super(description);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export class ServerError extends OAuthError {
  readonly error = 'server_error';
  override readonly status = 500;
}

/** OIDC Core 3.1.2.6: prompt=none and the user is not signed in. */
export class LoginRequiredError extends OAuthError {
  readonly error = 'login_required';
}

/** OIDC Core 3.1.2.6: prompt=none and consent would be needed. */
export class ConsentRequiredError extends OAuthError {
  readonly error = 'consent_required';
}

/** OIDC Core 6.1: a request object (`request`) was sent; we do not accept them. */
export class RequestNotSupportedError extends OAuthError {
  readonly error = 'request_not_supported';
}

/** OIDC Core 6.2: a request object by reference (`request_uri`) was sent; we do not accept them. */
export class RequestUriNotSupportedError extends OAuthError {
  readonly error = 'request_uri_not_supported';
}

/** RFC 6750 section 3.1: the token lacks a scope the resource needs. */
export class InsufficientScopeError extends OAuthError {
  readonly error = 'insufficient_scope';
  override readonly status = 403;
}
