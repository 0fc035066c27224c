import { AppShell, Badge, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Outlet, Route, Routes, useLocation, useMatch } from 'react-router';
import { useMe } from './api/roles';
import { AuthProvider, useAuth } from './auth/AuthProvider';
import type { OidcConfig } from './auth/oidc';
import { ErrorState, LoadingState } from './components/common';
import { ApiBridge, AuthGate } from './auth/AuthGate';
import { AccountPage } from './pages/account/AccountPage';
import { ClientDetailPage } from './pages/clients/ClientDetailPage';
import { ClientsPage } from './pages/clients/ClientsPage';
import { AuditPage } from './pages/tenants/AuditPage';
import { ConsentsPage } from './pages/tenants/ConsentsPage';
import { KeysPage } from './pages/tenants/KeysPage';
import { MembersPage } from './pages/tenants/MembersPage';
import { ScopesPage } from './pages/tenants/ScopesPage';
import { TenantLayout } from './pages/tenants/TenantLayout';
import { TenantSettingsPage } from './pages/tenants/TenantSettingsPage';
import { TenantsPage } from './pages/tenants/TenantsPage';
import { TokensPage } from './pages/tenants/TokensPage';
import { UsersPage } from './pages/tenants/UsersPage';

// The overview's charts (recharts) load only when the overview is opened.
const OverviewPage = lazy(() => import('./pages/tenants/OverviewPage').then((m) => ({ default: m.OverviewPage })));

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
  const base = slug ? `/tenants/${slug}` : null;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} to="/tenants" onClick={close}>
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
          <NavLink component={Link} to="/tenants" label="All tenants" active={location.pathname === '/tenants'} onClick={close} />
          {base && (
            <>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" mt="md" mb={4} px="sm">
                Tenant {slug}
              </Text>
              {TENANT_SECTIONS.map(([path, label]) => {
                const to = path ? `${base}/${path}` : base;
                const active = path ? location.pathname.startsWith(to) : location.pathname === base;
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
        <Route index element={<Navigate to="/tenants" replace />} />
        <Route path="callback" element={<LoadingState label="Signing you in…" />} />
        <Route path="tenants" element={<TenantsPage />} />
        <Route path="tenants/:slug" element={<TenantLayout />}>
          <Route
            index
            element={
              <Suspense fallback={<LoadingState />}>
                <OverviewPage />
              </Suspense>
            }
          />
          <Route path="settings" element={<TenantSettingsPage />} />
          <Route path="clients" element={<ClientsPage />} />
          <Route path="clients/:clientId" element={<ClientDetailPage />} />
          <Route path="scopes" element={<ScopesPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="consents" element={<ConsentsPage />} />
          <Route path="tokens" element={<TokensPage />} />
          <Route path="keys" element={<KeysPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="members" element={<MembersPage />} />
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
