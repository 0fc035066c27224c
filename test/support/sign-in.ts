import { Browser, parseForm, pkcePair } from './browser.js';
import type { Metadata } from './oauth-client.js';

/** The authorization endpoint (from discovery) with these query parameters. */
export function authorizeUrl(meta: Metadata, params: Record<string, string>): string {
  const url = new URL(meta['authorization_endpoint'] as string);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** An authorization code request with PKCE (S256): its URL and the verifier for the exchange. */
export function codeRequest(meta: Metadata, params: { clientId: string; redirectUri: string; scope: string; state?: string }): { url: string; verifier: string } {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(meta, {
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    scope: params.scope,
    state: params.state ?? 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return { url, verifier };
}

export function isLoginPage(html: string): boolean {
  return html.includes('name="password"');
}

export function isConsentPage(html: string): boolean {
  return html.includes('name="decision"');
}

export interface SignInResult {
  /** Where the server finally sent the browser (the client's redirect URI, with its parameters). */
  location: URL;
  sawLogin: boolean;
  sawConsent: boolean;
}

/**
 * Drives the login and consent pages as a user without JavaScript would, from a URL (usually the
 * authorization request) to the redirect that leaves the server. Fails on any other page.
 */
export async function signIn(
  browser: Browser,
  origin: string,
  startUrl: string,
  credentials: { username: string; password: string },
  decision: 'allow' | 'deny' = 'allow',
): Promise<SignInResult> {
  let sawLogin = false;
  let sawConsent = false;
  let { res, url } = await browser.follow(startUrl, origin);
  for (let step = 0; step < 4 && res.status === 200; step++) {
    const html = await res.text();
    const form = parseForm(html, url);
    if (isLoginPage(html)) {
      sawLogin = true;
      ({ res, url } = await browser.follow(form.action, origin, { form: { ...form.fields, ...credentials } }));
    } else if (isConsentPage(html)) {
      sawConsent = true;
      ({ res, url } = await browser.follow(form.action, origin, { form: { ...form.fields, decision } }));
    } else {
      throw new Error(`unexpected page at ${url}:\n${html.slice(0, 500)}`);
    }
  }
  if (res.status !== 302 && res.status !== 303) {
    throw new Error(`expected a redirect to the client, got ${res.status} at ${url}:\n${(await res.text()).slice(0, 500)}`);
  }
  return { location: new URL(res.headers.get('location')!, url), sawLogin, sawConsent };
}

/** Parameters of an authorization response in the query or, for the implicit flow, the fragment. */
export function responseParams(location: URL, mode: 'query' | 'fragment' = 'query'): URLSearchParams {
  return mode === 'query' ? location.searchParams : new URLSearchParams(location.hash.replace(/^#/, ''));
}
