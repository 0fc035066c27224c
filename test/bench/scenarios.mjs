// The token endpoint scenarios, as autocannon request specs for each server under test (the browser
// flows are in flows.mjs).
import { basic, USER } from './lib/seed.mjs';
import { URLSearchParams } from 'node:url';

const FORM = 'application/x-www-form-urlencoded';
const CC_BODY = 'grant_type=client_credentials&scope=api%3Aread';

const hasAccessToken = (status, body) => status === 200 && body.includes('"access_token"');

/** Endpoints of each server kind, relative to its base URL. */
export function endpoints(kind, base, tenant = 'bench') {
  if (kind === 'tessera') {
    const t = `${base}/t/${tenant}/oauth2`;
    return { token: `${t}/token`, introspect: `${t}/introspect`, revoke: `${t}/revoke`, authorize: `${t}/authorize` };
  }
  if (kind === 'oidc-provider') {
    return { token: `${base}/token`, introspect: `${base}/token/introspection`, revoke: `${base}/token/revocation`, authorize: `${base}/auth` };
  }
  return { token: `${base}/token`, introspect: `${base}/introspect`, revoke: `${base}/revoke` };
}

export function clientCredentials(kind, base, client, connections) {
  return {
    name: `client_credentials c${connections}`,
    url: endpoints(kind, base).token,
    connections,
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    body: CC_BODY,
    ok: hasAccessToken,
  };
}

/** Issues one token outside the measurement (for the introspection scenario). */
export async function issueToken(kind, base, client, opaque = false) {
  const res = await fetch(endpoints(kind, base).token, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    body: opaque ? `${CC_BODY}&resource=urn%3Abench%3Aopaque` : CC_BODY,
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token for ${kind}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * Introspection of one live token, over and over (as a resource server does with the token of a
 * session): Tessera's is a JWT (signature checked once, then expiry, revocation and the client's
 * existence every time), the minimal endpoint's too, oidc-provider's opaque (a store look-up).
 */
export function introspection(kind, base, client, token, connections) {
  return {
    name: `introspection c${connections}`,
    url: endpoints(kind, base).introspect,
    connections,
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    body: `token=${encodeURIComponent(token)}&token_type_hint=access_token`,
    ok: (status, body) => status === 200 && body.includes('"active":true'),
  };
}

/** One cycle = issue a token, revoke it, introspect it (must be inactive). */
export function revokeThenIntrospect(kind, base, client, connections) {
  const e = endpoints(kind, base);
  const auth = basic(client.id, client.secret);
  const tokenPath = (req, context) => ({ ...req, body: `token=${encodeURIComponent(context.token)}&token_type_hint=access_token` });
  return {
    name: `token → revoke → introspect c${connections}`,
    url: e.token,
    connections,
    headers: { 'content-type': FORM, authorization: auth },
    steps: [
      {
        path: new URL(e.token).pathname,
        body: kind === 'oidc-provider' ? `${CC_BODY}&resource=urn%3Abench%3Aopaque` : CC_BODY,
        check: (status, body, _h, context) => {
          if (status !== 200) return false;
          context.token = JSON.parse(body).access_token;
          return true;
        },
      },
      { path: new URL(e.revoke).pathname, setupRequest: tokenPath, check: (status) => status === 200 },
      {
        path: new URL(e.introspect).pathname,
        setupRequest: tokenPath,
        check: (status, body) => status === 200 && body.includes('"active":false'),
      },
    ],
  };
}

/**
 * One request per token of `tokens` (issued before, each used once): `revoke` revokes it,
 * `introspect` introspects a token this server has not seen at introspection before (signature
 * verified, not cached). For the counted runs of the capacity model.
 */
export function eachToken(kind, base, client, tokens, what, connections) {
  let next = 0;
  return {
    name: what === 'revoke' ? `revocation of issued tokens c${connections}` : `introspection of tokens not seen before c${connections}`,
    url: endpoints(kind, base)[what],
    connections,
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    steps: [
      {
        setupRequest: (req) => ({ ...req, body: `token=${encodeURIComponent(tokens[next++ % tokens.length])}&token_type_hint=access_token` }),
        check: what === 'revoke' ? (status) => status === 200 : (status, body) => status === 200 && body.includes('"active":true'),
      },
    ],
  };
}

/** `count` tokens issued `concurrency` at a time, outside any measurement. */
export async function issueTokens(kind, base, client, count, concurrency = 16) {
  const tokens = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (tokens.length < count) tokens.push(await issueToken(kind, base, client));
    }),
  );
  return tokens.slice(0, count);
}

export function passwordGrant(base, legacy, connections) {
  return {
    name: `password grant c${connections}`,
    url: endpoints('tessera', base).token,
    connections,
    headers: { 'content-type': FORM, authorization: basic(legacy.id, legacy.secret) },
    body: new URLSearchParams({ grant_type: 'password', username: USER.username, password: USER.password, scope: 'api:read' }).toString(),
    ok: hasAccessToken,
  };
}

/** GET pages of the admin API's client list: the first page only, or the pages behind `cursors` in turn. */
export function adminList(base, token, connections, cursors = null) {
  const path = `/admin/api/v1/tenants/bench-list/clients`;
  let next = 0;
  return {
    name: cursors ? `admin list clients, following cursors c${connections}` : `admin list clients, first page c${connections}`,
    url: `${base}${path}`,
    method: 'GET',
    connections,
    headers: { authorization: `Bearer ${token}` },
    steps: [
      {
        method: 'GET',
        ...(cursors
          ? {
              setupRequest: (req) => ({ ...req, path: `${path}?cursor=${encodeURIComponent(cursors[next++ % cursors.length])}` }),
            }
          : { path }),
        check: (status, body) => status === 200 && body.includes('"items"'),
      },
    ],
  };
}

/** Collects every cursor of the 10k-client list once, outside the measurement. */
export async function listCursors(base, token) {
  const cursors = [];
  let cursor = null;
  let items = 0;
  do {
    const url = `${base}/admin/api/v1/tenants/bench-list/clients${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`list clients: ${res.status} ${JSON.stringify(body)}`);
    items += body.items.length;
    cursor = body.next;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { cursors, items };
}

/** client_credentials where every request picks a random client from `pool` ({ slug, auth }). */
export function spreadClientCredentials(base, pool, connections, label) {
  return {
    name: `client_credentials c${connections}, ${label}`,
    url: `${base}/t/${pool[0].slug}/oauth2/token`,
    connections,
    headers: { 'content-type': FORM },
    body: CC_BODY,
    steps: [
      {
        setupRequest: (req) => {
          const pick = pool[Math.floor(Math.random() * pool.length)];
          return { ...req, path: `/t/${pick.slug}/oauth2/token`, headers: { ...req.headers, authorization: pick.auth } };
        },
        check: hasAccessToken,
      },
    ],
  };
}
