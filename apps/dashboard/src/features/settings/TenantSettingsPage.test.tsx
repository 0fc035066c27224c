import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { TenantRole, TenantView } from '../../api/types';
import { acmeTenant, meIn } from '../../test/fixtures';
import { fakeApi, problem, renderWithProviders, type Handler } from '../../test/render';
import { TenantLayout } from '../tenants/TenantLayout';
import { TenantSettingsPage } from './TenantSettingsPage';

function renderSettings({ role = 'admin', tenant = acmeTenant, patch }: { role?: TenantRole; tenant?: TenantView; patch?: Handler } = {}) {
  const { api, calls } = fakeApi({
    'GET /me': { ...meIn(role), memberships: [{ tenant: tenant.slug, role }] },
    [`GET /tenants/${tenant.slug}`]: tenant,
    [`PATCH /tenants/${tenant.slug}`]: patch ?? (() => tenant),
  });
  renderWithProviders(
    <Routes>
      <Route path="/tenants/:slug" element={<TenantLayout />}>
        <Route path="settings" element={<TenantSettingsPage />} />
      </Route>
    </Routes>,
    { api, path: `/tenants/${tenant.slug}/settings` },
  );
  const patches = () => calls.filter((c) => c.method === 'PATCH');
  return { patches, user: userEvent.setup() };
}

const field = (name: string) => screen.getByRole('textbox', { name });
const limitSwitch = (name: string) => screen.getByRole('switch', { name: new RegExp(`^${name}`) });

async function editable() {
  await waitFor(() => expect(field('Display name')).toBeEnabled());
}

async function retype(name: string, value: string) {
  const user = userEvent.setup();
  await user.clear(field(name));
  if (value) await user.type(field(name), value);
}

describe('tenant settings: rate limits and sign-in protection', () => {
  it('shows the effective values: limits that are on with their numbers, limits that are off switched off', async () => {
    renderSettings();
    await editable();
    expect(limitSwitch('Limit sign-in attempts per IP address')).toBeChecked();
    expect(field('Maximum sign-in attempts per IP address per window')).toHaveValue('300');
    expect(field('Window for sign-in attempts per IP address (seconds)')).toHaveValue('60');
    expect(limitSwitch('Limit sign-in attempts per username')).toBeChecked();
    expect(field('Maximum sign-in attempts per username per window')).toHaveValue('30');
    expect(limitSwitch('Limit token requests per client')).not.toBeChecked();
    expect(field('Maximum token requests per client per window')).toBeDisabled();
    expect(field('Window for token requests per client (seconds)')).toBeDisabled();
    // Only the admin tenant's admin API limit counts, so other tenants do not offer it.
    expect(screen.queryByRole('switch', { name: /admin API requests/ })).toBeNull();

    expect(field('Failed sign-ins before answers slow down')).toHaveValue('3');
    expect(field('Longest slow-down (milliseconds)')).toHaveValue('5000');
    expect(field('Failure window (seconds)')).toHaveValue('900');
    expect(field('Failed sign-ins that lock a username')).toHaveValue('10');
    expect(field('Failed sign-ins that lock an IP address')).toHaveValue('50');
    expect(field('Lock duration (seconds)')).toHaveValue('900');
    expect(field('Locks per username per day')).toHaveValue('3');
  });

  it('the admin tenant offers the admin API limit', async () => {
    renderSettings({ tenant: { ...acmeTenant, slug: 'admin' } });
    await editable();
    expect(limitSwitch('Limit admin API requests per access token')).not.toBeChecked();
    expect(field('Maximum admin API requests per access token per window')).toBeDisabled();
  });

  it('sends exactly the changed limits and protection settings in the PATCH body', async () => {
    const { user, patches } = renderSettings();
    await editable();
    await user.click(limitSwitch('Limit token requests per client'));
    await waitFor(() => expect(field('Maximum token requests per client per window')).toBeEnabled());
    await retype('Maximum token requests per client per window', '1200');
    await retype('Window for sign-in attempts per IP address (seconds)', '120');
    await user.click(limitSwitch('Limit sign-in attempts per username'));
    await retype('Lock duration (seconds)', '600');
    await retype('Locks per username per day', '0');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(patches()).toHaveLength(1));
    const body = patches()[0]!.body as { settings: TenantView['settings'] };
    expect(body.settings.rateLimits).toEqual({
      tokenPerClient: { max: 1200, windowSeconds: 60 },
      loginPerIp: { max: 300, windowSeconds: 120 },
      loginPerUsername: null,
    });
    expect(body.settings.loginProtection).toEqual({ lockSeconds: 600, maxUserLocksPerDay: 0 });
  });

  it('leaves untouched limits out of the body, so they keep following the server defaults', async () => {
    const { user, patches } = renderSettings();
    await editable();
    await retype('Display name', 'Acme Corp');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    const body = patches()[0]!.body as { displayName: string; settings: Record<string, unknown> };
    expect(body.displayName).toBe('Acme Corp');
    expect(body.settings).not.toHaveProperty('rateLimits');
    expect(body.settings).not.toHaveProperty('loginProtection');
  });

  it('says what is wrong at the field and sends nothing while a value is invalid', async () => {
    const { user, patches } = renderSettings();
    await editable();
    await retype('Window for sign-in attempts per IP address (seconds)', '90000');
    expect(await screen.findByText('At most 86400')).toBeInTheDocument();
    expect(field('Window for sign-in attempts per IP address (seconds)')).toHaveAttribute('aria-invalid', 'true');
    await retype('Failed sign-ins that lock a username', '');
    expect(await screen.findByText('Enter a whole number')).toBeInTheDocument();
    expect(field('Failed sign-ins that lock a username')).toHaveAttribute('aria-invalid', 'true');
    await retype('Failed sign-ins before answers slow down', '0');
    expect(await screen.findByText('At least 1')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(patches()).toHaveLength(0);
  });

  it('does not check the numbers of a limit that is switched off', async () => {
    const { user, patches } = renderSettings();
    await editable();
    await retype('Maximum sign-in attempts per username per window', '');
    expect(await screen.findByText('Enter a whole number')).toBeInTheDocument();
    await user.click(limitSwitch('Limit sign-in attempts per username'));
    await waitFor(() => expect(screen.queryByText('Enter a whole number')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect((patches()[0]!.body as { settings: TenantView['settings'] }).settings.rateLimits).toEqual({ loginPerUsername: null });
  });

  it('shows the field errors of a 400 problem at their fields', async () => {
    const { user } = renderSettings({
      patch: () => {
        throw problem(400, [
          { field: 'settings.rateLimits.loginPerIp.max', message: 'must be at most 100000000' },
          { field: 'settings.loginProtection.maxDelayMs', message: 'must be at most 30000' },
        ]);
      },
    });
    await editable();
    await retype('Longest slow-down (milliseconds)', '4000');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('must be at most 100000000')).toBeInTheDocument();
    expect(field('Maximum sign-in attempts per IP address per window')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('must be at most 30000')).toBeInTheDocument();
    expect(field('Longest slow-down (milliseconds)')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a viewer sees them read only', async () => {
    renderSettings({ role: 'viewer' });
    await waitFor(() => expect(screen.getByText('Viewers can look but not change')).toBeInTheDocument());
    expect(field('Maximum sign-in attempts per IP address per window')).toHaveValue('300');
    expect(field('Maximum sign-in attempts per IP address per window')).toBeDisabled();
    expect(field('Lock duration (seconds)')).toBeDisabled();
    for (const name of ['Limit token requests per client', 'Limit sign-in attempts per IP address', 'Limit sign-in attempts per username']) {
      expect(limitSwitch(name)).toBeDisabled();
    }
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });
});
