import { InvalidClientError, InvalidRequestError } from './oauth-error.js';
import { MAX_PARAM_LENGTH } from './request-params.js';

/** How the client presented itself (RFC 6749 section 2.3.1). */
export type PresentedClient =
  | { method: 'client_secret_basic'; clientId: string; clientSecret: string }
  | { method: 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'none'; clientId: string };

/**
 * Decodes application/x-www-form-urlencoded, as RFC 6749 section 2.3.1 asks for Basic credentials.
 * The same limits as for body parameters hold: no NUL byte, no overlong value.
 */
function formDecode(value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClientError('malformed client credentials in Authorization header', true);
  }
  if (decoded.length > MAX_PARAM_LENGTH || decoded.includes('\u0000')) {
    throw new InvalidClientError('malformed client credentials in Authorization header', true);
  }
  return decoded;
}

/**
 * Works out which client authentication method the request used. Using more than one method at
 * once is `invalid_request` (RFC 6749 section 2.3: the client MUST NOT use more than one method).
 */
export function readClientCredentials(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): PresentedClient | null {
  const hasBasic = authorization !== undefined && /^basic /i.test(authorization);
  if (authorization !== undefined && !hasBasic) {
    throw new InvalidClientError('unsupported Authorization scheme', true);
  }
  if (hasBasic) {
    if (body.client_secret !== undefined) {
      throw new InvalidRequestError('client credentials sent by more than one method');
    }
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new InvalidClientError('malformed Basic credentials', true);
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (body.client_id !== undefined && body.client_id !== clientId) {
      throw new InvalidRequestError('client_id in the body differs from the authenticated client');
    }
    return { method: 'client_secret_basic', clientId, clientSecret };
  }
  if (body.client_id === undefined) return null;
  if (body.client_secret !== undefined) {
    return { method: 'client_secret_post', clientId: body.client_id, clientSecret: body.client_secret };
  }
  return { method: 'none', clientId: body.client_id };
}
