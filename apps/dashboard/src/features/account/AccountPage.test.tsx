import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AccountConsentView } from '../../api/types';
import { fakeApi, renderWithProviders } from '../../test/render';
import { ConsentCard } from './AccountConsents';

const consent: AccountConsentView = {
  id: 'c1',
  clientId: 'photos',
  clientName: 'Photo Printer',
  scopes: [
    { name: 'openid', description: 'Sign you in' },
    { name: 'offline_access', description: 'Keep access while you are away' },
  ],
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
  lastUsedAt: null,
};

describe('account: an app the user allowed', () => {
  it('shows the app, its scopes in plain words and the dates, and withdraws only after confirming', async () => {
    let withdrawn = 0;
    const { api } = fakeApi({});
    renderWithProviders(<ConsentCard consent={consent} onWithdraw={async () => void withdrawn++} />, { api });
    const card = screen.getByRole('article', { name: 'Photo Printer' });
    expect(card).toHaveTextContent('Sign you in');
    expect(card).toHaveTextContent('Keep access while you are away');
    expect(card).toHaveTextContent(/Allowed/);
    expect(card).toHaveTextContent('Last used never');

    const user = userEvent.setup();
    await user.click(within(card).getByRole('button', { name: 'Remove access for Photo Printer' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove access for Photo Printer?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(withdrawn).toBe(0);

    await user.click(within(card).getByRole('button', { name: 'Remove access for Photo Printer' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove access' }));
    await waitFor(() => expect(withdrawn).toBe(1));
  });
});
