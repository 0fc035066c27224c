import { useMemo } from 'react';
import { useParams } from 'react-router';
import { ApiBridge, AuthGate } from '../../auth/AuthGate';
import { AuthProvider } from '../../auth/AuthProvider';
import type { OidcConfig } from '../../auth/oidc';
import { lazyPage, RoutePage } from '../../components/lazyRoute';

// Sign-in and its callback stay in the entry chunk; the list of apps loads once signed in.
const Consents = lazyPage(() => import('./AccountConsents'), 'Consents');

/** The tenant's built-in public client `account` (CONTRACT.md, End-user account). */
export function accountOidc(tenant: string): OidcConfig {
  return {
    tenant,
    clientId: 'account',
    redirectPath: `/account/${tenant}/callback`,
    postLogoutPath: `/account/${tenant}`,
    scope: 'openid account',
  };
}

/** `/account/:tenant`: an end user reviews and withdraws the apps they allowed. */
export function AccountPage() {
  const { tenant = '' } = useParams();
  const config = useMemo(() => accountOidc(tenant), [tenant]);
  return (
    <AuthProvider key={tenant} config={config}>
      <AuthGate product="Your account">
        <ApiBridge base={`/t/${encodeURIComponent(tenant)}/account/v1`}>
          <RoutePage>
            <Consents tenant={tenant} />
          </RoutePage>
        </ApiBridge>
      </AuthGate>
    </AuthProvider>
  );
}
