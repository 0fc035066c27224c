import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router';
import type { MeView, TenantView, TokenIssuanceView } from '../../api/types';
import { fakeApi, renderWithProviders } from '../../test/render';
import { issuanceByDay, OverviewPage } from './OverviewPage';
import { TenantLayout } from '../tenants/TenantLayout';

// `as`: fixtures name the fields this screen reads; the contracts may grow more.
const tenant = {
  slug: 'acme',
  displayName: 'Acme',
  issuer: 'https://id.example/t/acme',
  settings: { audience: 'https://id.example/t/acme/api', branding: { logoUrl: null, primaryColor: null }, passwordGrantEnabled: false, implicitGrantEnabled: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as TenantView;
const me: MeView = { kind: 'user', subject: 'u1', clientId: 'dashboard', platformAdmin: false, memberships: [{ tenant: 'acme', role: 'viewer' }] };
const today = new Date().toISOString().slice(0, 10);

function renderOverview(items: TokenIssuanceView[]) {
  const { api, calls } = fakeApi({
    'GET /me': me,
    'GET /tenants/acme': tenant,
    'GET /tenants/acme/audit-events': { items: [], next: null },
    'GET /tenants/acme/stats/tokens': { items },
  });
  renderWithProviders(
    <Routes>
      <Route path="/tenants/:slug" element={<TenantLayout />}>
        <Route index element={<OverviewPage />} />
      </Route>
    </Routes>,
    { api, path: '/tenants/acme' },
  );
  return calls;
}

describe('issuanceByDay', () => {
  it('lays the counts out over the last 14 UTC days, one column per grant type, zeros elsewhere', () => {
    const { rows, grantTypes } = issuanceByDay(
      [
        { day: '2030-01-14', grantType: 'client_credentials', count: 5 },
        { day: '2030-01-14', grantType: 'authorization_code', count: 2 },
        { day: '2030-01-01', grantType: 'client_credentials', count: 1 },
        { day: '2029-12-31', grantType: 'client_credentials', count: 9 },
      ],
      new Date('2030-01-14T12:00:00.000Z'),
    );
    expect(grantTypes).toEqual(['authorization_code', 'client_credentials']);
    expect(rows).toHaveLength(14);
    expect(rows[13]).toMatchObject({ authorization_code: 2, client_credentials: 5 });
    expect(rows[0]).toMatchObject({ authorization_code: 0, client_credentials: 1 });
    expect(rows.reduce((n, r) => n + (r['client_credentials'] as number), 0)).toBe(6);
  });
});

describe('OverviewPage', () => {
  it('charts tokens issued from the stats endpoint, and sign-ins and revocations from the audit log', async () => {
    const calls = renderOverview([{ day: today, grantType: 'client_credentials', count: 3 }]);
    expect(await screen.findByText('Tokens issued')).toBeInTheDocument();
    await waitFor(() => expect(calls.some((c) => c.path === '/tenants/acme/stats/tokens?days=14')).toBe(true));
    // Sign-ins and revocations are empty, tokens are not.
    await waitFor(() => expect(screen.getAllByText('Nothing in the last 14 days')).toHaveLength(2));
    const actions = calls.filter((c) => c.path.startsWith('/tenants/acme/audit-events')).map((c) => new URLSearchParams(c.path.split('?')[1]).get('action'));
    expect(actions.sort()).toEqual(['token.revoked', 'user.sign_in_failed', 'user.signed_in']);
  });

  it('says so when no token was issued', async () => {
    renderOverview([]);
    expect(await screen.findByText('Tokens issued')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('Nothing in the last 14 days')).toHaveLength(3));
  });
});
