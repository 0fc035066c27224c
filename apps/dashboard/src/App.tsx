import { AppShell, Badge, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Navigate, Outlet, Route, Routes, useLocation, useMatch } from 'react-router';
import { useMe } from './api/me';
import { AuthProvider, useAuth } from './auth/AuthProvider';
import type { OidcConfig } from './auth/oidc';
import { ErrorState, LoadingState } from './components/states';
import { lazyPage, RoutePage } from './components/lazyRoute';
import { ApiBridge, AuthGate } from './auth/AuthGate';
import { AccountPage } from './features/account/AccountPage';
import { links } from './links';

// The entry chunk holds the shell, sign-in and callback (here and on the account page); each
// screen is its own chunk, loaded when its route is first shown (the overview's with the charts).
// TenantLayout too: its permissions need the shared contracts (and zod), which sign-in does not.
const TenantLayout = lazyPage(() => import('./features/tenants/TenantLayout'), 'TenantLayout');
const TenantsPage = lazyPage(() => import('./features/tenants/TenantsPage'), 'TenantsPage');
const OverviewPage = lazyPage(() => import('./features/overview/OverviewPage'), 'OverviewPage');
const TenantSettingsPage = lazyPage(() => import('./features/settings/TenantSettingsPage'), 'TenantSettingsPage');
const ClientsPage = lazyPage(() => import('./features/clients/ClientsPage'), 'ClientsPage');
const ClientDetailPage = lazyPage(() => import('./features/clients/ClientDetailPage'), 'ClientDetailPage');
const ScopesPage = lazyPage(() => import('./features/scopes/ScopesPage'), 'ScopesPage');
const UsersPage = lazyPage(() => import('./features/users/UsersPage'), 'UsersPage');
const ConsentsPage = lazyPage(() => import('./features/consents/ConsentsPage'), 'ConsentsPage');
const TokensPage = lazyPage(() => import('./features/tokens/TokensPage'), 'TokensPage');
const KeysPage = lazyPage(() => import('./features/keys/KeysPage'), 'KeysPage');
const AuditPage = lazyPage(() => import('./features/audit/AuditPage'), 'AuditPage');
const MembersPage = lazyPage(() => import('./features/members/MembersPage'), 'MembersPage');

export const ADMIN_API_BASE = '/admin/api/v1';

/** The dashboard is the public client `dashboard` of tenant `admin` (CONTRACT.md). */
export const DASHBOARD_OIDC: OidcConfig = {
  tenant: 'admin',
  clientId: 'dashboard',
  redirectPath: '/callback',
  postLogoutPath: '/',
  scope: 'openid profile email offline_access platform:admin',
};

const TENANT_SECTIONS = [
  ['', 'Overview'],
  ['clients', 'Clients'],
  ['scopes', 'Scopes'],
  ['users', 'Users'],
  ['consents', 'Consents'],
  ['tokens', 'Grants & tokens'],
  ['keys', 'Signing keys'],
  ['audit', 'Audit log'],
  ['members', 'Members & roles'],
  ['settings', 'Settings'],
] as const;

function UserMenu() {
  const { auth, signOut } = useAuth();
  const me = useMe();
  if (auth.status !== 'signedIn') return null;
  const name = me.data?.username ?? auth.user.username ?? auth.user.email ?? auth.user.name ?? auth.user.subject;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label="Account menu" px="xs">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={500} truncate maw={200}>
              {name}
            </Text>
            {me.data?.platformAdmin && (
              <Badge size="xs" variant="light" visibleFrom="sm">
                platform admin
              </Badge>
            )}
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{name}</Menu.Label>
        <Menu.Item component="a" href="/admin/api/docs">
          Admin API docs
        </Menu.Item>
        <Menu.Item color="red" onClick={signOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function Shell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const tenantMatch = useMatch('/tenants/:slug/*');
  const slug = tenantMatch?.params.slug;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} to={links.tenants} onClick={close}>
              <Text fw={700} size="lg">
                Tessera
              </Text>
            </UnstyledButton>
            {slug && (
              <Badge variant="outline" size="lg" tt="none" visibleFrom="xs">
                {slug}
              </Badge>
            )}
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          <NavLink component={Link} to={links.tenants} label="All tenants" active={location.pathname === links.tenants} onClick={close} />
          {slug && (
            <>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" mt="md" mb={4} px="sm">
                Tenant {slug}
              </Text>
              {TENANT_SECTIONS.map(([path, label]) => {
                const to = links.tenant(slug, path);
                const active = path ? location.pathname.startsWith(to) : location.pathname === to;
                return <NavLink key={path} component={Link} to={to} label={label} active={active} onClick={close} />;
              })}
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function AdminRoutes() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to={links.tenants} replace />} />
        <Route path="callback" element={<LoadingState label="Signing you in…" />} />
        <Route path="tenants" element={<RoutePage><TenantsPage /></RoutePage>} />
        <Route path="tenants/:slug" element={<RoutePage><TenantLayout /></RoutePage>}>
          <Route index element={<RoutePage><OverviewPage /></RoutePage>} />
          <Route path="settings" element={<RoutePage><TenantSettingsPage /></RoutePage>} />
          <Route path="clients" element={<RoutePage><ClientsPage /></RoutePage>} />
          <Route path="clients/:clientId" element={<RoutePage><ClientDetailPage /></RoutePage>} />
          <Route path="scopes" element={<RoutePage><ScopesPage /></RoutePage>} />
          <Route path="users" element={<RoutePage><UsersPage /></RoutePage>} />
          <Route path="consents" element={<RoutePage><ConsentsPage /></RoutePage>} />
          <Route path="tokens" element={<RoutePage><TokensPage /></RoutePage>} />
          <Route path="keys" element={<RoutePage><KeysPage /></RoutePage>} />
          <Route path="audit" element={<RoutePage><AuditPage /></RoutePage>} />
          <Route path="members" element={<RoutePage><MembersPage /></RoutePage>} />
        </Route>
        <Route path="*" element={<ErrorState title="Not found" error={new Error('There is no such page in the dashboard.')} />} />
      </Route>
    </Routes>
  );
}

function AdminRoot() {
  return (
    <AuthProvider config={DASHBOARD_OIDC}>
      <AuthGate product="Tessera admin">
        <ApiBridge base={ADMIN_API_BASE}>
          <AdminRoutes />
        </ApiBridge>
      </AuthGate>
    </AuthProvider>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/account/:tenant/*" element={<AccountPage />} />
      <Route path="*" element={<AdminRoot />} />
    </Routes>
  );
}
