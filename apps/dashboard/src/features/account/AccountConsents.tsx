import { Badge, Button, Card, Container, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AccountConsentView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { ConfirmAction } from '../../components/ConfirmAction';
import { Empty } from '../../components/Empty';
import { formatDate } from '../../components/formatDate';
import { QueryView } from '../../components/QueryView';
import { useAccountConsents, useWithdrawAccountConsent } from './api';

export function ConsentCard({ consent, onWithdraw }: { consent: AccountConsentView; onWithdraw: () => Promise<unknown> }) {
  return (
    <Card withBorder padding="lg" component="article" aria-label={consent.clientName}>
      <Stack gap="sm" h="100%">
        <Title order={3} size="h4">
          {consent.clientName}
        </Title>
        <div>
          <Text size="sm" fw={600}>
            Can:
          </Text>
          <List size="sm" spacing={2}>
            {consent.scopes.map((s) => (
              <List.Item key={s.name}>{s.description}</List.Item>
            ))}
          </List>
        </div>
        <Text size="xs" c="dimmed">
          Allowed {formatDate(consent.createdAt)}
          <br />
          Last used {consent.lastUsedAt ? formatDate(consent.lastUsedAt) : 'never'}
        </Text>
        <Group mt="auto">
          <ConfirmAction
            label="Remove access"
            title={`Remove access for ${consent.clientName}?`}
            message={`${consent.clientName} will no longer be able to act for you: it is signed out everywhere and must ask again next time.`}
            confirmLabel="Remove access"
            buttonProps={{ 'aria-label': `Remove access for ${consent.clientName}` }}
            onConfirm={onWithdraw}
          />
        </Group>
      </Stack>
    </Card>
  );
}

export function Consents({ tenant }: { tenant: string }) {
  const { auth, signOut } = useAuth();
  const consents = useAccountConsents(tenant);
  const withdraw = useWithdrawAccountConsent(tenant);
  const name = auth.status === 'signedIn' ? (auth.user.name ?? auth.user.username ?? auth.user.email) : null;
  return (
    <Container size="md" py="xl">
      <Group justify="space-between" mb="lg" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            Apps with access to your account
          </Title>
          {name && (
            <Text c="dimmed" size="sm">
              Signed in as {name}
            </Text>
          )}
        </div>
        <Button variant="default" onClick={signOut}>
          Sign out
        </Button>
      </Group>
      <QueryView query={consents} loadingLabel="Loading your apps…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No apps have access" description="When you allow an app to use your account, it appears here." />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {page.items.map((c) => (
                <ConsentCard
                  key={c.id}
                  consent={c}
                  onWithdraw={async () => {
                    await withdraw.mutateAsync(c.id);
                    notifications.show({ color: 'teal', message: `${c.clientName} no longer has access` });
                  }}
                />
              ))}
            </SimpleGrid>
          )
        }
      </QueryView>
      <Group mt="xl">
        <Badge variant="light" color="gray">
          {tenant}
        </Badge>
      </Group>
    </Container>
  );
}
