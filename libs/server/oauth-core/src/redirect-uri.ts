const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/**
 * RFC 9700 section 4.1.3 / RFC 6749 section 3.1.2: redirect URIs match by exact string comparison.
 * RFC 8252 section 7.3: a loopback IP redirect URI of a native client may differ in port only.
 */
export function matchRedirectUri(presented: string, registered: readonly string[]): boolean {
  if (registered.includes(presented)) return true;
  let url: URL;
  try {
    url = new URL(presented);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname) || url.port === '') return false;
  const withoutPort = presented.replace(`${url.hostname}:${url.port}`, url.hostname);
  return registered.includes(withoutPort);
}

/** A redirect URI a client may register: absolute, no fragment (RFC 6749 section 3.1.2). */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.hash !== '' || uri.includes('#')) return 'must not contain a fragment';
  if (url.protocol === 'javascript:' || url.protocol === 'data:' || url.protocol === 'file:') {
    return `the ${url.protocol} scheme is not allowed`;
  }
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    return 'plain http is allowed only for loopback addresses';
  }
  return null;
}
