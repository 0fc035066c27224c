import { createHash, randomBytes } from 'node:crypto';

/**
 * A browser without JavaScript: a cookie jar, manual redirects, and the HTML forms of the login and
 * consent pages read and submitted as they are (CONTRACT.md, Login and consent pages).
 */
export class Browser {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  /** The value of a cookie the browser holds, if any. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** Raw Set-Cookie headers of the last response. */
  lastSetCookies: string[] = [];

  /** The X-Request-Id of every response so far, in order (to find which server process answered). */
  readonly requestIds: string[] = [];

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const cookie = [...this.cookies.entries()]
      .filter(([, c]) => target.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const headers: Record<string, string> = {};
    if (cookie) headers['cookie'] = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.requestIds.push(res.headers.get('x-request-id') ?? '');
    this.lastSetCookies = res.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
    return res;
  }

  /** Follows redirects while they stay on `origin`; returns the first response that leaves it or is not a redirect. */
  async follow(url: string, origin: string, init: { form?: Record<string, string> } = {}): Promise<{ res: Response; url: string }> {
    let res = await this.request(url, init);
    let current = url;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const location = new URL(res.headers.get('location')!, current).toString();
      if (!location.startsWith(origin)) return { res, url: current };
      current = location;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

export interface ParsedForm {
  action: string;
  fields: Record<string, string>;
  buttons: { name: string; value: string }[];
}

/** Reads the one `<form method="post">` of a page: its action, hidden inputs and submit buttons. */
export function parseForm(html: string, pageUrl: string): ParsedForm {
  const forms = html.match(/<form[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi) ?? [];
  if (forms.length !== 1) throw new Error(`expected one post form, found ${forms.length}`);
  const form = forms[0]!;
  const action = /action="([^"]*)"/.exec(form)?.[1] ?? pageUrl;
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input[^>]*>/gi) ?? []) {
    const name = /name="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = decodeEntities(/value="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  const buttons = [...form.matchAll(/<button[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi)].map((m) => ({ name: m[1]!, value: m[2]! }));
  return { action: decodeEntities(new URL(decodeEntities(action), pageUrl).toString()), fields, buttons };
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
