import { AdminApi, clientCredentials, discover, postForm, basic } from './support/oauth-client.js';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

describe('structured logs', () => {
  let server: TesseraProcess;

  beforeAll(async () => {
    // The most verbose level: if a secret reaches any log line, it shows here.
    server = await startTessera({ env: { LOG_LEVEL: 'trace' } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('writes JSON lines with a request id and never a secret, password or token', async () => {
    const admin = new AdminApi(server);
    const adminToken = await admin.accessToken();
    const tenant = await admin.createTenant('log');
    const client = await admin.createClient(tenant.slug);
    const userPassword = 'correct horse battery staple 42';
    const user = await admin.request('POST', `/tenants/${tenant.slug}/users`, { username: 'ada', password: userPassword });
    expect(user.status).toBe(201);

    const viaBasic = await clientCredentials(tenant.issuer, { id: client.clientId, secret: client.clientSecret });
    const viaPost = await clientCredentials(tenant.issuer, { id: client.clientId, secret: client.clientSecret }, { method: 'post' });
    const { introspection_endpoint } = await discover(tenant.issuer);
    await postForm(introspection_endpoint, { token: viaPost.body.access_token }, { authorization: basic(client.clientId, client.clientSecret) });
    const wrong = await fetch(`${tenant.issuer}/oauth2/token?client_secret=${encodeURIComponent(client.clientSecret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'trace-me-123' },
      body: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=nope-${client.clientSecret}`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-request-id')).toBe('trace-me-123');
    await new Promise((r) => setTimeout(r, 300));

    const output = server.output();
    for (const secret of [
      client.clientSecret,
      userPassword,
      adminToken,
      viaBasic.body.access_token,
      viaPost.body.access_token,
      server.bootstrapClient.secret,
      Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64'),
    ]) {
      expect(output).not.toContain(secret);
    }
    const lines = output.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    const requestLines = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: { path?: string } }).filter((l) => l.reqId);
    expect(requestLines.some((l) => l.reqId === 'trace-me-123')).toBe(true);
    expect(requestLines.every((l) => !l.req?.path?.includes('?'))).toBe(true);
  });
});
