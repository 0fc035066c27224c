/** An http URI on a loopback IP literal, with the port if it has one (RFC 8252 section 7.3). */
const LOOPBACK_URI = /^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::\d{1,5})?(?=[/?#]|$)/;

/**
 * Matching at the authorization endpoint. Which URIs a client may register is a client metadata
 * rule: `redirectUriProblem` in @tessera/contracts.
 *
 * RFC 9700 section 4.1.3 / RFC 6749 section 3.1.2: redirect URIs match by exact string comparison.
 * RFC 8252 section 7.3: a loopback IP redirect URI of a native client may differ in port only, from
 * the registered one whether or not that names a port.
 */
export function matchRedirectUri(presented: string, registered: readonly string[]): boolean {
  if (registered.includes(presented)) return true;
  if (!LOOPBACK_URI.test(presented) || !URL.canParse(presented)) return false;
  const portless = withoutLoopbackPort(presented);
  return registered.some((uri) => LOOPBACK_URI.test(uri) && withoutLoopbackPort(uri) === portless);
}

function withoutLoopbackPort(uri: string): string {
  return uri.replace(LOOPBACK_URI, '$1');
}
