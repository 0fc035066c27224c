import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Route, Routes } from 'react-router';
import type { Page, SigningKeyView } from '../../api/types';
import { acmeTenant as tenant, meIn as me } from '../../test/fixtures';
import { fakeApi, renderWithProviders } from '../../test/render';
import { KeysPage } from './KeysPage';
import { TenantLayout } from '../tenants/TenantLayout';

const key = (kid: string, alg: string, status: 'active' | 'retired' = 'active'): SigningKeyView => ({
  kid,
  alg,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  retiredAt: status === 'retired' ? '2026-01-02T00:00:00.000Z' : null,
  publishedUntil: status === 'retired' ? '2026-01-03T00:00:00.000Z' : null,
});

describe('KeysPage', () => {
  it('shows the ES256 and the RS256 key, asks for pages by limit and cursor, and pages on', async () => {
    const pages: Page<SigningKeyView>[] = [
      { items: [key('es-new', 'ES256'), key('rs-new', 'RS256')], next: 'c1' },
      { items: [key('es-old', 'ES256', 'retired'), key('rs-old', 'RS256', 'retired')], next: null },
    ];
    let served = 0;
    const { api, calls } = fakeApi({
      'GET /me': me('owner'),
      'GET /tenants/acme': tenant,
      'GET /tenants/acme/keys': () => pages[Math.min(served++, 1)],
    });
    renderWithProviders(
      <Routes>
        <Route path="/tenants/:slug" element={<TenantLayout />}>
          <Route path="keys" element={<KeysPage />} />
        </Route>
      </Routes>,
      { api, path: '/tenants/acme/keys' },
    );
    const table = await screen.findByRole('table', { name: 'Signing keys' });
    expect(await within(table).findByText('es-new')).toBeInTheDocument();
    expect(within(table).getByText('rs-new')).toBeInTheDocument();
    expect(within(table).getByRole('cell', { name: 'RS256' })).toBeInTheDocument();
    expect(within(table).getByRole('cell', { name: 'ES256' })).toBeInTheDocument();
    expect(calls.find((c) => c.path.startsWith('/tenants/acme/keys'))?.path).toBe('/tenants/acme/keys?limit=50');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Next' }));
    expect(await within(screen.getByRole('table', { name: 'Signing keys' })).findByText('rs-old')).toBeInTheDocument();
    await waitFor(() => expect(calls.map((c) => c.path)).toContain('/tenants/acme/keys?limit=50&cursor=c1'));
  });
});
