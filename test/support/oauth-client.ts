import type { TesseraProcess } from './tessera-process.js';

export interface Metadata {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  [key: string]: unknown;
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

async function read<T>(res: Response): Promise<HttpResult<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** Endpoints are found only through discovery, as a real client finds them. */
export async function discover(issuer: string): Promise<Metadata> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`discovery of ${issuer} answered ${res.status}`);
  return (await res.json()) as Metadata;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function postForm<T = Record<string, unknown>>(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return read<T>(res);
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export async function clientCredentials(
  issuer: string,
  client: { id: string; secret: string },
  options: { method?: 'basic' | 'post'; scope?: string } = {},
): Promise<HttpResult<TokenBody>> {
  const { token_endpoint } = await discover(issuer);
  const params: Record<string, string> = { grant_type: 'client_credentials' };
  if (options.scope !== undefined) params['scope'] = options.scope;
  if (options.method === 'post') {
    return postForm<TokenBody>(token_endpoint, { ...params, client_id: client.id, client_secret: client.secret });
  }
  return postForm<TokenBody>(token_endpoint, params, { authorization: basic(client.id, client.secret) });
}

/** A small admin API client holding a platform-admin token of the bootstrap client. */
export class AdminApi {
  private token: string | undefined;

  constructor(private readonly server: TesseraProcess) {}

  async accessToken(): Promise<string> {
    if (!this.token) {
      const res = await clientCredentials(this.server.issuer('admin'), this.server.bootstrapClient);
      if (res.status !== 200) throw new Error(`admin token: ${res.status} ${JSON.stringify(res.body)}`);
      this.token = res.body.access_token;
    }
    return this.token;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; contentType?: string; rawBody?: string } = {},
  ): Promise<HttpResult<T>> {
    const token = options.token === undefined ? await this.accessToken() : options.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const res = await fetch(`${this.server.baseUrl}/admin/api/v1${path}`, { method, headers, body: payload });
    return read<T>(res);
  }

  /** Creates a tenant with a unique slug. */
  async createTenant(prefix = 't'): Promise<{ slug: string; issuer: string }> {
    const slug = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    const res = await this.request<{ slug: string; issuer: string }>('POST', '/tenants', { slug, displayName: `Tenant ${slug}` });
    if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Creates the end user Ada Lovelace (verified email) with this password; returns her id. */
  async createAda(slug: string, password: string): Promise<string> {
    const res = await this.request<{ id: string }>('POST', `/tenants/${slug}/users`, {
      username: 'ada',
      email: 'ada@example.com',
      emailVerified: true,
      name: 'Ada Lovelace',
      password,
    });
    if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  async createClient(
    slug: string,
    input: Record<string, unknown> = {},
  ): Promise<{ clientId: string; clientSecret: string; [k: string]: unknown }> {
    const res = await this.request<{ clientId: string; clientSecret: string }>('POST', `/tenants/${slug}/clients`, {
      name: 'Service',
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: [],
      ...input,
    });
    if (res.status !== 201) throw new Error(`create client: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
