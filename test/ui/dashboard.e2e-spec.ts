// End-to-end tests of the dashboard: Debian's Chromium driven by playwright-core against the real
// server (built by `npm run build`), PostgreSQL and Redis. Nothing is mocked: the admin signs in
// through the authorization code flow of the `dashboard` client, the end user through `account`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser as Chromium, type BrowserContext, type Page } from 'playwright-core';
import { Browser, pkcePair } from '../support/browser.js';
import { AdminApi, basic, clientCredentials, discover, postForm } from '../support/oauth-client.js';
import { authorizeUrl, signIn } from '../support/sign-in.js';
import { startTessera, type TesseraProcess } from '../support/tessera-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PASSWORD = 'a long enough password';
const TIMEOUT = 180_000;

const run = randomBytes(4).toString('hex');
const adminName = `ui-admin-${run}@admins.example`;
const viewerName = `ui-viewer-${run}@admins.example`;
const endUserName = `ui-user-${run}`;

/** Decoded JWT claims (no verification: the server introspects for us). */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('dashboard in Chromium (issue 4 acceptance)', () => {
  let server: TesseraProcess;
  let admin: AdminApi;
  let chromiumBrowser: Chromium;
  const consoleErrors: string[] = [];
  let slug: string;
  let clientId: string;
  let clientSecret: string;

  async function newPage(viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await chromiumBrowser.newContext({ viewport, baseURL: server.baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    // Name the resource behind a "Failed to load resource" console error.
    page.on('response', (res) => {
      if (res.status() >= 400) consoleErrors.push(`${res.request().method()} ${res.url()} answered ${res.status()}`);
    });
    return { context, page };
  }

  async function shot(page: Page, name: string): Promise<void> {
    // Let notifications and transitions settle so the picture shows the screen, not an animation.
    // Toasts of earlier steps would cover the header: hide them for the picture only.
    const toasts = (visibility: string) =>
      page.evaluate((v) => {
        window.scrollTo(0, 0);
        for (const el of document.querySelectorAll<HTMLElement>('.mantine-Notifications-root')) el.style.visibility = v;
      }, visibility);
    await toasts('hidden');
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
    await toasts('visible');
  }

  /** The server's login page, as a person fills it in. */
  async function logIn(page: Page, username: string): Promise<void> {
    await page.waitForSelector('input[name="password"]');
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
  }

  async function createAdminUser(username: string): Promise<string> {
    const res = await admin.request<{ id: string }>('POST', '/tenants/admin/users', { username, email: username, password: PASSWORD });
    if (res.status !== 201) throw new Error(`create admin user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}. The dashboard e2e tests drive Debian's Chromium: install it with ` +
          '`apt-get install -y chromium` (as .ci/run does), or set CHROMIUM_PATH.',
      );
    }
    if (!existsSync(path.join(ROOT, 'dist/dashboard/index.html'))) {
      throw new Error('dist/dashboard is missing: run `npm run build` first (the server serves the built dashboard).');
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTessera();
    admin = new AdminApi(server);

    // The test database outlives runs and ports: the built-in `dashboard` client was registered with
    // the first run's PUBLIC_URL. A loopback redirect URI without a port matches every port (RFC 8252
    // section 7.3); post-logout redirect URIs match exactly, so this run's is set (replacing older runs').
    const dashboard = await admin.request<{ redirectUris: string[]; postLogoutRedirectUris: string[] }>('GET', '/tenants/admin/clients/dashboard');
    expect(dashboard.status).toBe(200);
    const keep = (uris: string[]) => uris.filter((u) => !u.startsWith('http://127.0.0.1'));
    const patched = await admin.request('PATCH', '/tenants/admin/clients/dashboard', {
      redirectUris: [...keep(dashboard.body.redirectUris), 'http://127.0.0.1/callback'],
      postLogoutRedirectUris: [...keep(dashboard.body.postLogoutRedirectUris), `${server.baseUrl}/`],
    });
    expect(patched.status).toBe(200);

    // Our own platform admin: a user of tenant `admin` who owns tenant `admin`.
    const adminId = await createAdminUser(adminName);
    const owner = await admin.request('POST', '/tenants/admin/members', { userId: adminId, role: 'owner' });
    expect(owner.status).toBe(201);

    chromiumBrowser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, TIMEOUT);

  afterAll(async () => {
    await chromiumBrowser?.close();
    await server?.stop();
  });

  it(
    'an admin signs in, creates a tenant, registers a client, copies its secret, edits its redirect URIs, rotates the secret and revokes its token',
    async () => {
      const { context, page } = await newPage();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });

      // Sign-in: a silent prompt=none round trip finds no session and falls back to the login page.
      await page.goto('/');
      await logIn(page, adminName);
      await page.waitForURL(/\/tenants$/);
      await page.getByRole('heading', { name: 'Tenants' }).waitFor();
      await page.getByRole('table', { name: 'Tenants' }).waitFor();
      await shot(page, 'tenants');

      // Create a tenant.
      slug = `ui-${run}`;
      await page.getByRole('button', { name: 'Create tenant' }).click();
      const createDialog = page.getByRole('dialog', { name: 'Create a tenant' });
      await createDialog.getByRole('textbox', { name: 'Slug' }).fill('Not A Slug');
      await createDialog.getByText('1 to 32 lowercase letters').waitFor();
      await createDialog.getByRole('textbox', { name: 'Slug' }).fill(slug);
      await createDialog.getByRole('textbox', { name: 'Display name' }).fill('UI Test Shop');
      await createDialog.getByRole('button', { name: 'Create tenant' }).click();
      await page.waitForURL(new RegExp(`/tenants/${slug}$`));

      // Register a confidential client; the redirect URI is checked as it is typed.
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Clients' }).click();
      await page.waitForURL(new RegExp(`/tenants/${slug}/clients$`));
      await page.getByText('No clients yet').or(page.getByRole('table', { name: 'Clients' })).first().waitFor();
      await page.getByRole('button', { name: 'Register client' }).click();
      const form = page.getByRole('form', { name: 'Register a client' });
      await form.getByRole('textbox', { name: 'Name' }).fill('Shop backend');
      const uri1 = form.getByRole('textbox', { name: 'Redirect URI 1' });
      await uri1.fill('http://shop.example.com/callback');
      await form.getByText('Plain http is allowed only for loopback').waitFor();
      await uri1.fill('https://shop.example.com/callback');
      await form.getByText('Plain http is allowed only for loopback').waitFor({ state: 'detached' });
      await form.getByRole('checkbox', { name: /Client credentials/ }).check();
      await shot(page, 'client-register');
      await form.getByRole('button', { name: 'Register client' }).click();

      // The secret, shown once, with a copy button.
      const secretDialog = page.getByRole('dialog', { name: 'Client secret', exact: true });
      await secretDialog.waitFor();
      clientSecret = (await secretDialog.getByTestId('client-secret').textContent())!.trim();
      expect(clientSecret.length).toBeGreaterThanOrEqual(32);
      await secretDialog.getByRole('button', { name: 'Copy secret' }).click();
      await secretDialog.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientSecret);
      await shot(page, 'client-secret');
      await secretDialog.getByRole('button', { name: 'I have stored it' }).click();
      await page.waitForURL(new RegExp(`/tenants/${slug}/clients/[^/]+$`));
      clientId = (await page.getByTestId('client-id').textContent())!.trim();
      expect((await clientCredentials(server.issuer(slug), { id: clientId, secret: clientSecret })).status).toBe(200);

      // Edit its redirect URIs.
      const settings = page.getByRole('form', { name: 'Client settings' });
      await settings.getByRole('button', { name: 'Add redirect URI' }).click();
      const uri2 = settings.getByRole('textbox', { name: 'Redirect URI 2' });
      await uri2.fill('https://shop.example.com/cb#fragment');
      await settings.getByText('Must not contain a fragment').waitFor();
      await uri2.fill('https://shop.example.com/other-callback');
      await settings.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Client saved').waitFor();
      const stored = await admin.request<{ redirectUris: string[] }>('GET', `/tenants/${slug}/clients/${clientId}`);
      expect(stored.body.redirectUris).toEqual(['https://shop.example.com/callback', 'https://shop.example.com/other-callback']);
      await shot(page, 'client-detail');

      // Rotate the secret, after confirming: the old one stops working, the new one works.
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      const confirm = page.getByRole('dialog', { name: 'Rotate the client secret?' });
      await confirm.getByRole('button', { name: 'Rotate secret' }).click();
      const rotatedDialog = page.getByRole('dialog', { name: 'Client secret', exact: true });
      await rotatedDialog.waitFor();
      const newSecret = (await rotatedDialog.getByTestId('client-secret').textContent())!.trim();
      expect(newSecret).not.toBe(clientSecret);
      await rotatedDialog.getByRole('button', { name: 'I have stored it' }).click();
      expect((await clientCredentials(server.issuer(slug), { id: clientId, secret: clientSecret })).status).toBe(401);
      clientSecret = newSecret;

      // Revoke, by its jti, a token the client obtained; introspection then says inactive.
      const token = await clientCredentials(server.issuer(slug), { id: clientId, secret: clientSecret });
      expect(token.status).toBe(200);
      const meta = await discover(server.issuer(slug));
      const introspect = () => postForm<{ active: boolean }>(meta.introspection_endpoint, { token: token.body.access_token }, { authorization: basic(clientId, clientSecret) });
      expect((await introspect()).body.active).toBe(true);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Grants & tokens' }).click();
      await page.getByRole('textbox', { name: 'Token ID (jti)' }).fill(String(claims(token.body.access_token)['jti']));
      await page.getByRole('button', { name: 'Revoke tokens' }).click();
      await page.getByRole('dialog', { name: 'Revoke tokens?' }).getByRole('button', { name: 'Revoke' }).click();
      await page.getByText('Tokens revoked').waitFor();
      expect((await introspect()).body).toEqual({ active: false });
      await shot(page, 'tokens');

      // Signing keys: rotate with confirmation.
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Signing keys' }).click();
      await page.getByRole('table', { name: 'Signing keys' }).waitFor();
      await page.getByRole('cell', { name: 'RS256' }).waitFor();
      await page.getByRole('button', { name: 'Rotate keys' }).click();
      await page.getByRole('dialog', { name: 'Rotate the signing keys?' }).getByRole('button', { name: 'Rotate keys' }).click();
      await page.getByText(/Now signing access tokens with key/).waitFor();
      await page.getByRole('cell', { name: 'retired' }).first().waitFor();
      await shot(page, 'keys');

      // The other screens: overview charts, audit log, members, scopes, users.
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByRole('link', { name: 'Overview' }).click();
      await page.locator('.recharts-surface').first().waitFor();
      await shot(page, 'overview');
      await nav.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('table', { name: 'Audit events' }).getByText('client.secret_rotated').first().waitFor();
      await shot(page, 'audit');
      await nav.getByRole('link', { name: 'Members & roles' }).click();
      await page.getByRole('form', { name: 'Add a member' }).waitFor();
      await page.getByText('No members').or(page.getByRole('table', { name: 'Members' })).first().waitFor();
      await nav.getByRole('link', { name: 'Scopes' }).click();
      await page.getByRole('table', { name: 'Scopes' }).getByText('offline_access').waitFor();
      await nav.getByRole('link', { name: 'Users' }).click();
      await page.getByText('No users yet').or(page.getByRole('table', { name: 'Users' })).first().waitFor();

      // Tenant settings.
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('form', { name: 'Tenant settings' }).waitFor();
      await shot(page, 'tenant-settings');

      // A reload keeps the admin signed in (silent re-authorization with prompt=none, no login page).
      await page.reload();
      await page.getByRole('form', { name: 'Tenant settings' }).waitFor();
      expect(page.url()).toBe(`${server.baseUrl}/tenants/${slug}/settings`);

      // Tokens never reach Web Storage.
      const stored2 = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      expect(stored2).not.toMatch(/eyJ/);

      // Sign out ends the session at the server.
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('input[name="password"]');
      await context.close();
    },
    TIMEOUT,
  );

  it(
    'a viewer sees the tenant but cannot change anything',
    async () => {
      const viewerId = await createAdminUser(viewerName);
      expect((await admin.request('POST', `/tenants/${slug}/members`, { userId: viewerId, role: 'viewer' })).status).toBe(201);
      const { context, page } = await newPage();
      await page.goto(`/tenants/${slug}/clients/${clientId}`);
      await logIn(page, viewerName);
      await page.waitForURL(new RegExp(`/tenants/${slug}/clients/${clientId}$`));
      await page.getByRole('heading', { name: 'Shop backend' }).waitFor();
      await page.getByText('Viewers can look but not change').first().waitFor();
      expect(await page.getByRole('textbox', { name: 'Name' }).isDisabled()).toBe(true);
      expect(await page.getByRole('textbox', { name: 'Redirect URI 1' }).isDisabled()).toBe(true);
      for (const name of ['Rotate secret', 'Revoke all tokens', 'Delete client']) {
        expect(await page.getByRole('button', { name }).isDisabled()).toBe(true);
      }
      expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
      await shot(page, 'viewer-client');

      await page.getByRole('link', { name: 'All tenants' }).click();
      await page.getByRole('table', { name: 'Tenants' }).waitFor();
      expect(await page.getByRole('button', { name: 'Create tenant' }).isDisabled()).toBe(true);
      // Only the tenants where the viewer holds a role.
      expect(await page.getByRole('link', { name: slug }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'admin', exact: true }).count()).toBe(0);
      await context.close();
    },
    TIMEOUT,
  );

  it(
    'an end user sees the app they allowed at /account/:tenant, withdraws it, and its refresh token stops working',
    async () => {
      const user = await admin.request<{ id: string }>('POST', `/tenants/${slug}/users`, { username: endUserName, password: PASSWORD, name: 'Erin Enduser' });
      expect(user.status).toBe(201);
      const appRedirect = 'https://photos.example.com/callback';
      const app = await admin.createClient(slug, {
        name: 'Photo Printer',
        type: 'confidential',
        redirectUris: [appRedirect],
        grantTypes: ['authorization_code', 'refresh_token'],
        scopes: ['openid', 'profile', 'offline_access'],
      });

      // The app obtains a refresh token through the code flow; the user allows it on the consent page.
      const meta = await discover(server.issuer(slug));
      const { verifier, challenge } = pkcePair();
      const url = authorizeUrl(meta, {
        response_type: 'code',
        client_id: app.clientId,
        redirect_uri: appRedirect,
        scope: 'openid profile offline_access',
        state: 'st',
        prompt: 'consent',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const { location, sawConsent } = await signIn(new Browser(), server.issuer(slug), url, { username: endUserName, password: PASSWORD });
      expect(sawConsent).toBe(true);
      const exchanged = await postForm<{ refresh_token: string }>(
        meta.token_endpoint,
        { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: appRedirect, code_verifier: verifier },
        { authorization: basic(app.clientId, app.clientSecret) },
      );
      expect(exchanged.status).toBe(200);
      const refresh = (token: string) =>
        postForm<{ refresh_token?: string; error?: string }>(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic(app.clientId, app.clientSecret) });
      const rotated = await refresh(exchanged.body.refresh_token);
      expect(rotated.status).toBe(200);

      // The end user, on a phone, signs in at /account/:tenant and sees the app.
      const { context, page } = await newPage({ width: 390, height: 844 });
      await page.goto(`/account/${slug}`);
      await logIn(page, endUserName);
      await page.waitForURL(new RegExp(`/account/${slug}$`));
      const card = page.getByRole('article', { name: 'Photo Printer' });
      await card.waitFor();
      expect(await card.textContent()).toMatch(/Allowed/);
      expect(await card.textContent()).toMatch(/Last used/);
      await shot(page, 'account-mobile');

      await card.getByRole('button', { name: 'Remove access for Photo Printer' }).click();
      await page.getByRole('dialog', { name: 'Remove access for Photo Printer?' }).getByRole('button', { name: 'Remove access' }).click();
      await page.getByText('No apps have access').waitFor();
      expect(await page.getByRole('article', { name: 'Photo Printer' }).count()).toBe(0);

      const after = await refresh(rotated.body.refresh_token!);
      expect(after.status).toBe(400);
      expect(after.body.error).toBe('invalid_grant');
      await context.close();
    },
    TIMEOUT,
  );

  it('logged no console errors in any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
