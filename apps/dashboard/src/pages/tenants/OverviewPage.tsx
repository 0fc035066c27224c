import { BarChart } from '@mantine/charts';
import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { qs, useApi, type Api } from '../../api/client';
import type { AuditEventView, Page } from '../../api/types';
import { CopyValue, ErrorState, LoadingState, PageHeader } from '../../components/common';
import { useTenant } from './TenantLayout';

const DAYS = 14;
const MAX_PAGES = 10;

/** Events of one action over the last DAYS days (newest first, so paging stops at the window's start). */
async function recentEvents(api: Api, slug: string, action: string): Promise<AuditEventView[]> {
  const since = Date.now() - DAYS * 86_400_000;
  const events: AuditEventView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await api.request<Page<AuditEventView>>('GET', `/tenants/${slug}/audit-events${qs({ action, limit: 200, cursor })}`);
    for (const e of page.items) if (Date.parse(e.createdAt) >= since) events.push(e);
    const last = page.items[page.items.length - 1];
    if (!page.next || !last || Date.parse(last.createdAt) < since) break;
    cursor = page.next;
  }
  return events;
}

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

function ActivityChart({ title, description, series }: { title: string; description: string; series: { name: string; action: string; color: string }[] }) {
  const { tenant } = useTenant();
  const api = useApi();
  const query = useQuery({
    queryKey: ['tenants', tenant.slug, 'overview', series.map((s) => s.action)],
    queryFn: async () => {
      const all = await Promise.all(series.map((s) => recentEvents(api, tenant.slug, s.action)));
      return dailyCounts(Object.fromEntries(series.map((s, i) => [s.name, all[i]!])));
    },
  });
  const total = query.data?.reduce((sum, row) => sum + series.reduce((n, s) => n + (row[s.name] as number), 0), 0) ?? 0;
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {description}
      </Text>
      {query.isPending && <LoadingState />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && (
        <>
          <BarChart h={220} data={query.data} dataKey="day" series={series.map(({ name, color }) => ({ name, color }))} withLegend={series.length > 1} tickLine="y" />
          {total === 0 && (
            <Text size="sm" c="dimmed" ta="center">
              Nothing in the last {DAYS} days
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}

export function OverviewPage() {
  const { tenant } = useTenant();
  return (
    <>
      <PageHeader title={tenant.displayName} description="Activity of the last two weeks, from the audit log." />
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
          <ActivityChart
            title="Tokens"
            description="Tokens issued through the browser flows, and revocations"
            series={[
              { name: 'Issued', action: 'token.issued', color: 'indigo.6' },
              { name: 'Revoked', action: 'token.revoked', color: 'orange.6' },
            ]}
          />
        </SimpleGrid>
        <Text size="sm">
          <Anchor component={Link} to={`/tenants/${tenant.slug}/audit`}>
            Open the audit log
          </Anchor>
        </Text>
      </Stack>
    </>
  );
}
