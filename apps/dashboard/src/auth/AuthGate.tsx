import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { ApiContext, createApi } from '../api/client';
import { ErrorState, LoadingState } from '../components/states';
import { useAuth } from './AuthProvider';

/** Binds an API base to the signed-in user's token. */
export function ApiBridge({ base, children }: { base: string; children: ReactNode }) {
  const { getAccessToken } = useAuth();
  const api = useMemo(() => createApi(base, getAccessToken), [base, getAccessToken]);
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** Full-page states until the user is signed in. */
export function AuthGate({ children, product }: { children: ReactNode; product: string }) {
  const { auth, signIn } = useAuth();
  if (auth.status === 'signedIn') return <>{children}</>;
  return (
    <Center mih="100vh" p="md">
      <Stack align="center" maw={420} gap="md">
        <Title order={1} size="h2">
          {product}
        </Title>
        {auth.status === 'loading' && <LoadingState label="Signing you in…" />}
        {auth.status === 'signedOut' && (
          <>
            <Text c="dimmed" ta="center">
              You are signed out.
            </Text>
            <Button onClick={signIn}>Sign in</Button>
          </>
        )}
        {auth.status === 'error' && (
          <>
            <ErrorState error={auth.error} title="Sign-in failed" />
            <Button onClick={signIn}>Sign in again</Button>
          </>
        )}
      </Stack>
    </Center>
  );
}

