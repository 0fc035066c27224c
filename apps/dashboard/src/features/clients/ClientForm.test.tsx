import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { problem } from '../../test/render';
import { theme } from '../../theme';
import { ClientForm, type ClientFormProps } from './ClientForm';
import { redirectUriProblem } from '@tessera/contracts';
import { NEW_CLIENT } from './clientSchema';

function renderForm(props: Partial<ClientFormProps> = {}) {
  const onSubmit = vi.fn<ClientFormProps['onSubmit']>(async () => undefined);
  render(
    <MantineProvider theme={theme}>
      <ClientForm
        mode="create"
        initialValues={NEW_CLIENT}
        availableScopes={['openid', 'profile', 'email', 'offline_access', 'orders:read']}
        legacy={{ passwordGrantEnabled: false, implicitGrantEnabled: false }}
        readOnlyReason={null}
        onSubmit={onSubmit}
        {...props}
      />
    </MantineProvider>,
  );
  return { onSubmit, user: userEvent.setup() };
}

describe('redirect URI rules', () => {
  it.each([
    ['https://app.example.com/callback', null],
    ['http://localhost:8080/cb', null],
    ['http://127.0.0.1/cb', null],
    ['http://[::1]:3000/cb', null],
    ['com.example.app:/oauth2redirect', null],
    ['http://app.example.com/cb', /loopback/],
    ['https://app.example.com/cb#frag', /fragment/],
    ['/relative/callback', /absolute/],
    ['javascript:alert(1)', /not allowed/],
    ['', /Enter a URI/],
  ])('%s', (uri, expected) => {
    const result = redirectUriProblem(uri);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });
});

describe('ClientForm', () => {
  it('checks each redirect URI as the admin types', async () => {
    const { user } = renderForm();
    const input = screen.getByRole('textbox', { name: 'Redirect URI 1' });

    await user.type(input, 'http://app.example.com/cb');
    expect(await screen.findByText(/Plain http is allowed only for loopback/)).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');

    await user.clear(input);
    await user.type(input, 'https://app.example.com/cb#x');
    expect(await screen.findByText(/Must not contain a fragment/)).toBeInTheDocument();

    await user.clear(input);
    await user.type(input, 'https://app.example.com/cb');
    await waitFor(() => expect(input).not.toHaveAttribute('aria-invalid', 'true'));
    expect(screen.queryByText(/Must not contain a fragment|Plain http is allowed/)).toBeNull();
  });

  it('refuses vbscript:, blob: and dot-less app schemes with the API’s own messages', async () => {
    const { user } = renderForm();
    const input = screen.getByRole('textbox', { name: 'Redirect URI 1' });
    for (const uri of ['vbscript:msgbox(1)', 'blob:https://app.example.com/x', 'myapp:/callback']) {
      await user.clear(input);
      await user.type(input, uri);
      expect(await screen.findByText(redirectUriProblem(uri)!)).toBeInTheDocument();
      expect(input).toHaveAttribute('aria-invalid', 'true');
    }
  });

  it('marks password and implicit as deprecated', () => {
    renderForm();
    const grants = screen.getByRole('group', { name: /Grant types/ });
    const password = within(grants).getByRole('checkbox', { name: /Resource owner password/ });
    const implicit = within(grants).getByRole('checkbox', { name: /Implicit/ });
    for (const box of [password, implicit]) expect(box.closest('.mantine-Checkbox-root')?.textContent).toMatch(/Deprecated/);
    expect(within(grants).getByRole('checkbox', { name: /Authorization code/ }).closest('.mantine-Checkbox-root')?.textContent).not.toMatch(
      /Deprecated/,
    );
    expect(screen.getAllByText(/Off for this tenant/)).toHaveLength(2);
  });

  it('does not submit an invalid form, and requires a redirect URI for the code flow', async () => {
    const { user, onSubmit } = renderForm();
    await user.click(screen.getByRole('button', { name: 'Remove redirect URI 1' }));
    await user.click(screen.getByRole('button', { name: 'Register client' }));
    expect(await screen.findByText('Give the client a name')).toBeInTheDocument();
    expect(screen.getByText(/Add at least one redirect URI/)).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses client credentials for a public client', async () => {
    const { user } = renderForm();
    await user.click(screen.getByRole('radio', { name: 'Public' }));
    await user.click(screen.getByRole('checkbox', { name: /Client credentials/ }));
    expect(await screen.findByText('Client credentials needs a confidential client')).toBeInTheDocument();
  });

  it('sends the API body and shows the field errors of a 400 problem at their fields', async () => {
    const onSubmit = vi.fn<ClientFormProps['onSubmit']>(async () => {
      throw problem(400, [
        { field: 'redirectUris.1', message: 'must not point at the issuer' },
        { field: 'scopes', message: 'unknown scope orders:write' },
        { field: 'somethingElse', message: 'is odd' },
      ]);
    });
    const { user } = renderForm({ onSubmit });
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Shop');
    await user.type(screen.getByRole('textbox', { name: 'Redirect URI 1' }), 'https://shop.example.com/cb');
    await user.click(screen.getByRole('button', { name: 'Add redirect URI' }));
    await user.type(screen.getByRole('textbox', { name: 'Redirect URI 2' }), 'https://shop.example.com/other');
    await user.click(screen.getByRole('button', { name: 'Register client' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({
      name: 'Shop',
      type: 'confidential',
      redirectUris: ['https://shop.example.com/cb', 'https://shop.example.com/other'],
      postLogoutRedirectUris: [],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      firstParty: false,
      accessTokenTtl: 3600,
      refreshTokenTtl: 2_592_000,
      refreshTokenIdleTtl: 1_209_600,
      idTokenSignedResponseAlg: 'RS256',
    });

    expect(await screen.findByText('must not point at the issuer')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Redirect URI 2' })).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('textbox', { name: 'Redirect URI 1' })).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('unknown scope orders:write')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('somethingElse: is odd');
  });

  it('offers the ID token signing algorithm, RS256 for a new client, and sends the chosen one', async () => {
    const { user, onSubmit } = renderForm();
    const select = screen.getByLabelText('ID token signing algorithm', { selector: 'input' });
    expect(select).toHaveValue('RS256 (RSA, the OpenID Connect default)');
    await user.click(select);
    await user.click(await screen.findByRole('option', { name: 'ES256 (ECDSA P-256)', hidden: true }));
    expect(select).toHaveValue('ES256 (ECDSA P-256)');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Legacy RP');
    await user.type(screen.getByRole('textbox', { name: 'Redirect URI 1' }), 'https://rp.example.com/cb');
    await user.click(screen.getByRole('button', { name: 'Register client' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ name: 'Legacy RP', idTokenSignedResponseAlg: 'ES256' });
  });

  it('shows the stored algorithm of an existing client and puts a server field error at the select', async () => {
    const onSubmit = vi.fn<ClientFormProps['onSubmit']>(async () => {
      throw problem(400, [{ field: 'idTokenSignedResponseAlg', message: 'must be RS256 or ES256' }]);
    });
    const { user } = renderForm({ mode: 'edit', initialValues: { ...NEW_CLIENT, name: 'Old app', redirectUris: [{ value: 'https://old.example/cb' }], idTokenSignedResponseAlg: 'ES256' }, onSubmit });
    const select = screen.getByLabelText('ID token signing algorithm', { selector: 'input' });
    expect(select).toHaveValue('ES256 (ECDSA P-256)');
    await user.click(select);
    await user.click(await screen.findByRole('option', { name: 'RS256 (RSA, the OpenID Connect default)', hidden: true }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ idTokenSignedResponseAlg: 'RS256' });
    expect(await screen.findByText('must be RS256 or ES256')).toBeInTheDocument();
  });

  it('is read only for a viewer: every control disabled, no submit button', () => {
    renderForm({ mode: 'edit', readOnlyReason: 'Viewers can look but not change' });
    expect(screen.getByText('Viewers can look but not change')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Name' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Redirect URI 1' })).toBeDisabled();
    for (const box of screen.getAllByRole('checkbox')) expect(box).toBeDisabled();
    expect(screen.getByRole('switch', { name: /First-party/ })).toBeDisabled();
    expect(screen.queryByRole('button', { name: /Save changes|Register client/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Add redirect URI/ })).toBeNull();
  });
});
