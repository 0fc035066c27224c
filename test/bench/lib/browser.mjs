// A sign-in through the login and consent pages of Tessera or of the node-oidc-provider server, as a
// browser without JavaScript would (the same steps as test/support/browser.ts and sign-in.ts),
// leaving a session cookie and a stored consent that the flow scenarios then reuse: with both
// remembered, the authorization endpoint answers with a redirect to the client at once.
import { createHash, randomBytes } from 'node:crypto';
import { URLSearchParams } from 'node:url';

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function decodeEntities(value) {
  return value.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

function parseForm(html, pageUrl) {
  const forms = html.match(/<form[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi) ?? [];
  if (forms.length !== 1) throw new Error(`expected one post form, found ${forms.length}`);
  const action = /action="([^"]*)"/.exec(forms[0])?.[1] ?? pageUrl;
  const fields = {};
  for (const input of forms[0].match(/<input[^>]*>/gi) ?? []) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return { action: new URL(decodeEntities(action), pageUrl).toString(), fields };
}

export class Browser {
  cookies = new Map();

  cookieHeader(url) {
    const target = new URL(url);
    return [...this.cookies.entries()]
      .filter(([, c]) => target.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  async request(url, form) {
    const headers = {};
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
    return res;
  }

  async follow(url, origin, form) {
    let res = await this.request(url, form);
    let current = url;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const location = new URL(res.headers.get('location'), current).toString();
      if (!location.startsWith(origin)) return { res, url: current };
      current = location;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

/**
 * Follows an authorization request through the sign-in and consent pages (signing in with
 * `credentials` when asked, allowing when asked); returns the browser, which then holds the session
 * cookie, and the code.
 */
export async function signIn(origin, authorizeUrl, credentials, browser = new Browser()) {
  let { res, url } = await browser.follow(authorizeUrl, origin);
  for (let step = 0; step < 4 && res.status === 200; step++) {
    const html = await res.text();
    const form = parseForm(html, url);
    if (html.includes('name="password"')) {
      ({ res, url } = await browser.follow(form.action, origin, { ...form.fields, ...credentials }));
    } else if (html.includes('name="decision"')) {
      ({ res, url } = await browser.follow(form.action, origin, { ...form.fields, decision: 'allow' }));
    } else {
      throw new Error(`unexpected page at ${url}:\n${html.slice(0, 500)}`);
    }
  }
  if (res.status !== 302 && res.status !== 303) throw new Error(`sign-in ended with ${res.status} at ${url}`);
  const location = new URL(res.headers.get('location'));
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`sign-in returned no code: ${location}`);
  return { browser, code };
}
