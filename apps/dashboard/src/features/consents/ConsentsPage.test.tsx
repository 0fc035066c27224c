import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ConsentView, Page } from '../../api/types';
import { acmeTenant as tenant, meIn as me } from '../../test/fixtures';
import { fakeApi, renderWithProviders } from '../../test/render';
import { TenantLayout } from '../tenants/TenantLayout';
import { ConsentsPage } from './ConsentsPage';

const consent = (id: string, clientName: string): ConsentView => ({
  id,
  userId: 'u1',
  clientId: clientName.toLowerCase(),
  clientName,
  scopes: ['openid'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastUsedAt: null,
});

/** Two pages of consents; the same pages whatever the filter (the server is not under test). */
function renderConsents(path: string) {
  const pages: Page<ConsentView>[] = [
    { items: [consent('c1', 'Shop')], next: 'p2' },
    { items: [consent('c2', 'Photos')], next: null },
  ];
  const { api, calls } = fakeApi({
    'GET /me': me('admin'),
    'GET /tenants/acme': tenant,
    'GET /tenants/acme/consents': () => pages[calls[calls.length - 1]!.path.includes('cursor=p2') ? 1 : 0],
  });
  renderWithProviders(
    <Routes>
      <Route path="/tenants/:slug" element={<TenantLayout />}>
        <Route path="consents" element={<ConsentsPage />} />
      </Route>
    </Routes>,
    { api, path },
  );
  const listCalls = () => calls.filter((c) => c.path.startsWith('/tenants/acme/consents')).map((c) => c.path);
  return { listCalls, user: userEvent.setup() };
}

const table = () => screen.getByRole('table', { name: 'Consents' });

describe('ConsentsPage: filters kept in the URL', () => {
  it('starts from the filter in the URL, applies a new one on Enter from page 1, and clears them', async () => {
    const { listCalls, user } = renderConsents('/tenants/acme/consents?clientId=shop');
    expect(await within(await screen.findByRole('table', { name: 'Consents' })).findByText('Shop')).toBeInTheDocument();
    expect(listCalls()).toEqual(['/tenants/acme/consents?limit=25&clientId=shop']);
    expect(screen.getByRole('textbox', { name: 'Filter by client ID' })).toHaveValue('shop');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await within(table()).findByText('Photos')).toBeInTheDocument();
    expect(listCalls()).toContain('/tenants/acme/consents?limit=25&cursor=p2&clientId=shop');

    await user.type(screen.getByRole('textbox', { name: 'Filter by user ID' }), ' u1 {Enter}');
    await waitFor(() => expect(listCalls()).toContain('/tenants/acme/consents?limit=25&userId=u1&clientId=shop'));
    expect(await within(table()).findByText('Shop')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(listCalls()).toContain('/tenants/acme/consents?limit=25'));
    expect(screen.getByRole('textbox', { name: 'Filter by client ID' })).toHaveValue('');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });
});
