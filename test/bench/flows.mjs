// The browser flows, as autocannon request sequences for Tessera and node-oidc-provider: the code
// flow with a remembered session, the full flow with a password sign-in, and the refresh grant.
// Each connection carries one simulated browser through the steps (cookies, CSRF field, code, PKCE
// verifier in autocannon's per-pass context); one pass over the steps is one flow.
import { randomBytes } from 'node:crypto';
import { URLSearchParams } from 'node:url';
import { pkcePair, signIn } from './lib/browser.mjs';
import { basic, REDIRECT, USER } from './lib/seed.mjs';
import { endpoints } from './scenarios.mjs';

const FORM = 'application/x-www-form-urlencoded';

/** The clients of each server: `web` (code flow, ID token), `refresh` (offline_access). */
export const FLOW_SCOPES = { web: 'openid profile api:read', refresh: 'offline_access api:read' };

function authorizeQuery(client, scope, extra = {}) {
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: REDIRECT,
    scope,
    state: randomBytes(8).toString('base64url'),
    ...(scope.split(' ').includes('openid') && { nonce: randomBytes(8).toString('base64url') }),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return { verifier, query };
}

// A cookie jar per pass (autocannon clones the context afresh for each pass over the steps).
function takeCookies(context, headers, header) {
  const raw = header(headers, 'set-cookie');
  for (const line of raw === undefined ? [] : [raw].flat()) {
    const pair = line.split(';')[0];
    const eq = pair.indexOf('=');
    context.cookies = { ...context.cookies, [pair.slice(0, eq).trim()]: pair.slice(eq + 1).trim() };
  }
}

const cookieHeader = (context) =>
  Object.entries(context.cookies ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

function redirectTo(status, headers, header) {
  if (status !== 302 && status !== 303) return null;
  const location = header(headers, 'location');
  return location ? new URL(location, 'http://server.invalid') : null;
}

/** Path and query of a URL on the server: the connection stays on the process it speaks to. */
const onServer = (url) => (url ? `${url.pathname}${url.search}` : null);

/** A 302/303 to the client's redirect URI with a code: stores code in the context. */
function codeRedirect(status, _body, headers, context, header) {
  const location = redirectTo(status, headers, header);
  context.code = location?.href.startsWith(REDIRECT) ? location.searchParams.get('code') : null;
  return Boolean(context.code);
}

/** The token request that redeems the code of this pass; the answer must carry what `expect` names. */
function redeemStep(kind, base, client, expect) {
  return {
    method: 'POST',
    path: new URL(endpoints(kind, base).token).pathname,
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    setupRequest: (req, context) => ({
      ...req,
      body: new URLSearchParams({ grant_type: 'authorization_code', code: context.code, redirect_uri: REDIRECT, code_verifier: context.verifier }).toString(),
    }),
    check: (status, body) => status === 200 && body.includes(`"${expect}"`),
  };
}

/** GET authorize with a fresh PKCE pair, state and nonce; `cookie` is the remembered session, if any. */
function authorizeStep(kind, base, client, scope, check, cookie) {
  const authorizePath = new URL(endpoints(kind, base).authorize).pathname;
  return {
    method: 'GET',
    path: authorizePath,
    ...(cookie && { headers: { cookie } }),
    setupRequest: (req, context) => {
      const { verifier, query } = authorizeQuery(client, scope);
      context.verifier = verifier;
      return { ...req, path: `${authorizePath}?${query}` };
    },
    check,
  };
}

/**
 * The code flow for a user whose session and consent are remembered: GET authorize (session cookie)
 * → 302/303 to the client's redirect URI with a code → POST token (code, verifier; access and ID token).
 */
export function codeFlow(kind, base, web, cookie, connections) {
  return {
    name: `authorization code + PKCE, remembered session c${connections}`,
    url: endpoints(kind, base).token,
    connections,
    steps: [authorizeStep(kind, base, web, FLOW_SCOPES.web, codeRedirect, cookie), redeemStep(kind, base, web, 'id_token')],
  };
}

/**
 * The full flow with a password sign-in, the consent remembered from before: a browser without a
 * session asks to authorize, gets the sign-in page, posts the password (argon2id), and follows the
 * redirects to the client with a code, which it redeems.
 * Tessera: authorize → 303 login page → GET (CSRF cookie and field) → POST → 303 code → token.
 * node-oidc-provider: authorize → 303 interaction → GET → POST → 303 resume → GET → 303 code → token.
 */
export function signInFlow(kind, base, web, connections) {
  const start = (status, _body, headers, context, header) => {
    takeCookies(context, headers, header);
    context.next = onServer(redirectTo(status, headers, header));
    return Boolean(context.next);
  };
  const loginPage = {
    method: 'GET',
    setupRequest: (req, context) => ({ ...req, path: context.next, headers: { cookie: cookieHeader(context) } }),
    check: (status, body, headers, context, header) => {
      if (status !== 200) return false;
      takeCookies(context, headers, header);
      const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/i.exec(body);
      context.next = form ? onServer(new URL(form[1].replace(/&amp;/g, '&'), 'http://server.invalid')) : null;
      context.csrf = /name="csrf" value="([^"]*)"/.exec(body)?.[1];
      return Boolean(context.next);
    },
  };
  const submit = {
    method: 'POST',
    setupRequest: (req, context) => ({
      ...req,
      path: context.next,
      headers: { 'content-type': FORM, cookie: cookieHeader(context) },
      body: new URLSearchParams({ ...(context.csrf && { csrf: context.csrf }), username: USER.username, password: USER.password }).toString(),
    }),
  };
  const resume = {
    method: 'GET',
    setupRequest: (req, context) => ({ ...req, path: context.next, headers: { cookie: cookieHeader(context) } }),
    check: codeRedirect,
  };
  const steps =
    kind === 'tessera'
      ? [authorizeStep(kind, base, web, FLOW_SCOPES.web, start), loginPage, { ...submit, check: codeRedirect }, redeemStep(kind, base, web, 'id_token')]
      : [
          authorizeStep(kind, base, web, FLOW_SCOPES.web, start),
          loginPage,
          { ...submit, check: (status, _b, headers, context, header) => Boolean((context.next = onServer(redirectTo(status, headers, header)))) },
          resume,
          redeemStep(kind, base, web, 'id_token'),
        ];
  return { name: `sign-in (password) + code flow c${connections}`, url: endpoints(kind, base).token, connections, steps };
}

/**
 * Refresh tokens for the `refresh` client, each from its own code flow with prompt=consent (offline
 * access is granted for consent given in that request: OIDC Core 11, and what node-oidc-provider
 * requires even without openid). `browser` holds a signed-in session.
 */
export async function seedRefreshTokens(kind, base, client, browser, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const { verifier, query } = authorizeQuery(client, FLOW_SCOPES.refresh, { prompt: 'consent' });
    const authorize = `${endpoints(kind, base).authorize}?${query}`;
    const { code } = await signIn(base, authorize, USER, browser);
    const res = await fetch(endpoints(kind, base).token, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
    });
    const body = await res.json();
    if (!body.refresh_token) throw new Error(`${kind}: no refresh token from the code flow: ${res.status} ${JSON.stringify(body)}`);
    tokens.push(body.refresh_token);
  }
  return tokens;
}

/**
 * The refresh grant: each request presents a refresh token once and puts its successor back in the
 * pool, so every token is used exactly once along its rotation chain (a second use would revoke the
 * family). Before each run, `prepare` seeds new chains for those a run cut off (a token in flight
 * when it stopped may have been rotated by the server with the answer lost).
 */
export function refreshGrant(kind, base, client, seed, connections) {
  const pool = [];
  return {
    name: `refresh grant (rotation) c${connections}`,
    url: endpoints(kind, base).token,
    connections,
    async prepare() {
      // Two chains per connection: one in flight, one spare in case a chain breaks. The tokens left
      // in the pool by a previous run were never presented: only the chains cut off are replaced.
      const missing = connections * 2 - pool.length;
      if (missing > 0) pool.push(...(await seed(missing)));
    },
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    steps: [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          context.presented = pool.shift() ?? 'pool-exhausted';
          return { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.presented)}` };
        },
        check: (status, body) => {
          if (status !== 200) return false;
          const next = JSON.parse(body).refresh_token;
          if (!next) return false;
          pool.push(next);
          return body.includes('"access_token"');
        },
      },
    ],
  };
}

/**
 * The flows' fixtures of one server: USER signed in once through the `web` client and consented (the
 * remembered session's cookie), and a seeder of refresh tokens for the `refresh` client.
 */
export async function flowFixtures(kind, base, clients) {
  const { query } = authorizeQuery(clients.web, FLOW_SCOPES.web);
  const authorize = `${endpoints(kind, base).authorize}?${query}`;
  const { browser } = await signIn(base, authorize, USER);
  return { cookie: browser.cookieHeader(authorize), seedRefresh: (n) => seedRefreshTokens(kind, base, clients.refresh, browser, n) };
}
