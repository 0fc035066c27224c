import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router';
import type { ClientView, TenantRole } from '../../api/types';
import { permissionsFor } from '../../api/roles';
import { acmeTenant as tenant, meIn as me } from '../../test/fixtures';
import { fakeApi, renderWithProviders } from '../../test/render';
import { ClientDetailPage } from '../clients/ClientDetailPage';
import { ClientsPage } from '../clients/ClientsPage';
import { KeysPage } from '../keys/KeysPage';
import { TenantLayout } from './TenantLayout';
import { TenantSettingsPage } from '../settings/TenantSettingsPage';
import { TokensPage } from '../tokens/TokensPage';

const client = {
  clientId: 'shop',
  name: 'Shop',
  type: 'confidential',
  redirectUris: ['https://shop.example/cb'],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid'],
  firstParty: false,
  builtIn: false,
  accessTokenTtl: 3600,
  refreshTokenTtl: 86400,
  refreshTokenIdleTtl: 43200,
  idTokenSignedResponseAlg: 'ES256',
  secretRotatedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as ClientView;
function renderTenant(path: string, role: TenantRole | null) {
  const { api, calls } = fakeApi({
    'GET /me': me(role),
    'GET /tenants/acme': tenant,
    'GET /tenants/acme/clients': { items: [client], next: null },
    'GET /tenants/acme/clients/shop': client,
    'GET /tenants/acme/scopes': { items: [{ name: 'openid', description: '', builtIn: true, createdAt: null }], next: null },
    'GET /tenants/acme/keys': { items: [], next: null },
    'GET /tenants/acme/tokens': { items: [], next: null },
  });
  renderWithProviders(
    <Routes>
      <Route path="/tenants/:slug" element={<TenantLayout />}>
        <Route path="settings" element={<TenantSettingsPage />} />
        <Route path="clients" element={<ClientsPage />} />
        <Route path="clients/:clientId" element={<ClientDetailPage />} />
        <Route path="keys" element={<KeysPage />} />
        <Route path="tokens" element={<TokensPage />} />
      </Route>
    </Routes>,
    { api, path },
  );
  return { calls, user: userEvent.setup() };
}

describe('role rules', () => {
  it('maps /me to rights: platform admin and owner manage, admin edits, viewer reads', () => {
    expect(permissionsFor(me(null, true), 'acme')).toMatchObject({ canEdit: true, canManage: true });
    expect(permissionsFor(me('owner'), 'acme')).toMatchObject({ canEdit: true, canManage: true });
    expect(permissionsFor(me('admin'), 'acme')).toMatchObject({ canEdit: true, canManage: false });
    expect(permissionsFor(me('viewer'), 'acme')).toMatchObject({ canEdit: false, canManage: false, role: 'viewer' });
    expect(permissionsFor(me('owner'), 'other')).toMatchObject({ canEdit: false, canManage: false, role: null });
    expect(permissionsFor(undefined, 'acme')).toMatchObject({ canEdit: false });
  });

  it('a viewer sees the clients but cannot register one', async () => {
    renderTenant('/tenants/acme/clients', 'viewer');
    expect(await screen.findByRole('link', { name: 'Shop' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Register client' })).toBeDisabled());
  });

  it('an admin may register a client', async () => {
    renderTenant('/tenants/acme/clients', 'admin');
    await screen.findByRole('link', { name: 'Shop' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Register client' })).toBeEnabled());
  });

  it('a viewer sees a client read-only: no save, no secret rotation, no revocation, no deletion', async () => {
    renderTenant('/tenants/acme/clients/shop', 'viewer');
    expect(await screen.findByRole('heading', { name: 'Shop' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Name' })).toBeDisabled());
    for (const name of ['Rotate secret', 'Revoke all tokens', 'Delete client']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
  });

  it('an admin edits a client and rotates its secret after confirming', async () => {
    const { user, calls } = renderTenant('/tenants/acme/clients/shop', 'admin');
    await screen.findByRole('heading', { name: 'Shop' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Rotate secret' })).toBeEnabled());
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Delete client' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate the client secret?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('a viewer cannot rotate keys', async () => {
    renderTenant('/tenants/acme/keys', 'viewer');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Rotate keys' })).toBeDisabled());
  });

  it('a viewer cannot revoke tokens', async () => {
    renderTenant('/tenants/acme/tokens', 'viewer');
    await screen.findByText('No live grants');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Revoke tokens' })).toBeDisabled());
    expect(screen.getByRole('textbox', { name: 'Token ID (jti)' })).toBeDisabled();
  });

  it('a viewer sees tenant settings read-only and cannot delete the tenant', async () => {
    renderTenant('/tenants/acme/settings', 'viewer');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Display name' })).toBeDisabled());
    expect(screen.getByRole('switch', { name: /password grant/ })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete tenant' })).toBeDisabled();
  });

  it('an admin edits settings but only an owner deletes the tenant', async () => {
    renderTenant('/tenants/acme/settings', 'admin');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Display name' })).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Delete tenant' })).toBeDisabled();
  });
});
