// The charts' styles travel with the overview's chunk (the only screen with charts).
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AuditEventView, TokenIssuanceView } from '../../api/types';
import { CopyValue } from '../../components/CopyValue';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState } from '../../components/states';
import { useTenant } from '../tenants/TenantLayout';
import { useRecentActivity, useTokenIssuance } from './api';
import { links } from '../../links';

const DAYS = 14;

export function dailyCounts(series: Record<string, AuditEventView[]>, now = new Date()): Record<string, string | number>[] {
  const days: Record<string, string | number>[] = [];
  const index = new Map<string, Record<string, string | number>>();
  for (let i = DAYS - 1; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    const key = d.toDateString();
    const row: Record<string, string | number> = { day: d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) };
    for (const name of Object.keys(series)) row[name] = 0;
    days.push(row);
    index.set(key, row);
  }
  for (const [name, events] of Object.entries(series)) {
    for (const e of events) {
      const row = index.get(new Date(e.createdAt).toDateString());
      if (row) row[name] = (row[name] as number) + 1;
    }
  }
  return days;
}

/** Colours of the grant types, in the order the chart stacks them; others are grey. */
const GRANT_COLORS: Record<string, string> = {
  authorization_code: 'teal.6',
  refresh_token: 'cyan.6',
  client_credentials: 'indigo.6',
  password: 'grape.6',
  implicit: 'orange.6',
};

/**
 * Rows of the last DAYS UTC days (the server counts by UTC day), one column per grant type seen;
 * days without tokens are zeros.
 */
export function issuanceByDay(items: TokenIssuanceView[], now = new Date()): { rows: Record<string, string | number>[]; grantTypes: string[] } {
  const seen = new Set(items.map((i) => i.grantType));
  const grantTypes = [...Object.keys(GRANT_COLORS).filter((g) => seen.has(g)), ...[...seen].filter((g) => !(g in GRANT_COLORS)).sort()];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const rows: Record<string, string | number>[] = [];
  const index = new Map<string, Record<string, string | number>>();
  for (let i = DAYS - 1; i >= 0; i--) {
    const d = new Date(today - i * 86_400_000);
    const row: Record<string, string | number> = { day: d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }) };
    for (const g of grantTypes) row[g] = 0;
    rows.push(row);
    index.set(d.toISOString().slice(0, 10), row);
  }
  for (const item of items) {
    const row = index.get(item.day);
    if (row) row[item.grantType] = (row[item.grantType] as number) + item.count;
  }
  return { rows, grantTypes };
}

function ChartPanel({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {description}
      </Text>
      {children}
    </Paper>
  );
}

function Empty() {
  return (
    <Text size="sm" c="dimmed" ta="center">
      Nothing in the last {DAYS} days
    </Text>
  );
}

function ActivityChart({ title, description, series }: { title: string; description: string; series: { name: string; action: string; color: string }[] }) {
  const { tenant } = useTenant();
  const query = useRecentActivity(
    tenant.slug,
    series.map((s) => s.action),
    DAYS,
    (all) => dailyCounts(Object.fromEntries(series.map((s, i) => [s.name, all[i]!]))),
  );
  const total = query.data?.reduce((sum, row) => sum + series.reduce((n, s) => n + (row[s.name] as number), 0), 0) ?? 0;
  return (
    <ChartPanel title={title} description={description}>
      {query.isPending && <LoadingState />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && (
        <>
          <BarChart h={220} data={query.data} dataKey="day" series={series.map(({ name, color }) => ({ name, color }))} withLegend={series.length > 1} tickLine="y" />
          {total === 0 && <Empty />}
        </>
      )}
    </ChartPanel>
  );
}

/** Every token response of the tenant, by grant type: from the server's issuance counters, not the audit log. */
function TokensIssuedChart() {
  const { tenant } = useTenant();
  const query = useTokenIssuance(tenant.slug, DAYS, (stats) => issuanceByDay(stats.items));
  const total = query.data?.rows.reduce((sum, row) => sum + query.data.grantTypes.reduce((n, g) => n + (row[g] as number), 0), 0) ?? 0;
  return (
    <ChartPanel title="Tokens issued" description="Token responses per UTC day and grant type (a few seconds behind)">
      {query.isPending && <LoadingState />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && (
        <>
          <BarChart
            h={220}
            data={query.data.rows}
            dataKey="day"
            type="stacked"
            series={query.data.grantTypes.map((name) => ({ name, color: GRANT_COLORS[name] ?? 'gray.6' }))}
            withLegend={query.data.grantTypes.length > 1}
            tickLine="y"
          />
          {total === 0 && <Empty />}
        </>
      )}
    </ChartPanel>
  );
}

export function OverviewPage() {
  const { tenant } = useTenant();
  return (
    <>
      <PageHeader title={tenant.displayName} description="Activity of the last two weeks." />
      <Stack gap="lg">
        <Paper withBorder p="md">
          <Text size="sm" fw={600}>
            Issuer
          </Text>
          <CopyValue value={tenant.issuer} label="issuer" />
          <Text size="xs" c="dimmed" mt={4}>
            Discovery: <Anchor href={`${tenant.issuer}/.well-known/openid-configuration`} size="xs">{`${tenant.issuer}/.well-known/openid-configuration`}</Anchor>
          </Text>
        </Paper>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <ActivityChart
            title="Sign-ins"
            description="Successful and failed sign-ins at the login page (and the password grant)"
            series={[
              { name: 'Signed in', action: 'user.signed_in', color: 'teal.6' },
              { name: 'Failed', action: 'user.sign_in_failed', color: 'red.6' },
            ]}
          />
          <TokensIssuedChart />
          <ActivityChart
            title="Revocations"
            description="Revocations recorded in the audit log"
            series={[{ name: 'Revoked', action: 'token.revoked', color: 'orange.6' }]}
          />
        </SimpleGrid>
        <Text size="sm">
          <Anchor component={Link} to={links.tenant(tenant.slug, 'audit')}>
            Open the audit log
          </Anchor>
        </Text>
      </Stack>
    </>
  );
}
