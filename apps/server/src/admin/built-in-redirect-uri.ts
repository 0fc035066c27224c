/**
 * A redirect URI of a built-in client under PUBLIC_URL. On a loopback IP the port is left out:
 * RFC 8252 section 7.3 matching then admits any port, so processes on different ports (development,
 * tests) share one registration instead of rewriting it in turn.
 */
export function builtInRedirectUri(publicUrl: string, path: string): string {
  const url = new URL(publicUrl);
  if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]')) url.port = '';
  return `${url.origin}${url.pathname.replace(/\/$/, '')}${path}`;
}
