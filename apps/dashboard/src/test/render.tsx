import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { ApiContext, ApiError, type Api } from '../api/client';
import type { FieldError } from '../api/types';
import { AuthContext, type AuthContextValue } from '../auth/AuthProvider';
import { theme } from '../theme';

export type Handler = (body: unknown) => unknown;

/** A fake admin API: `'GET /tenants/acme'` → answer (a value, or a function of the body; throw for errors). */
export function fakeApi(routes: Record<string, unknown | Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const api: Api = {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body });
      const key = `${method} ${path.split('?')[0]}`;
      if (!(key in routes)) throw new ApiError(404, 'Not found', `no fake for ${key}`);
      const answer = routes[key];
      return (typeof answer === 'function' ? (answer as Handler)(body) : answer) as T;
    },
  };
  return { api, calls };
}

export function problem(status: number, errors: FieldError[] = [], detail = 'The request has invalid fields.'): ApiError {
  return new ApiError(status, status === 400 ? 'Invalid request' : 'Error', detail, errors);
}

export const signedIn: AuthContextValue = {
  auth: { status: 'signedIn', user: { subject: 'u1', name: null, username: 'ada@example.com', email: null }, scope: ['openid'] },
  getAccessToken: vi.fn(async () => 'token'),
  signIn: vi.fn(),
  signOut: vi.fn(),
};

export function renderWithProviders(ui: ReactElement, { api, path = '/', route = '*' }: { api: Api; path?: string; route?: string }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <AuthContext.Provider value={signedIn}>
          <ApiContext.Provider value={api}>
            <MemoryRouter initialEntries={[path]}>
              <Routes>
                <Route path={route} element={ui} />
              </Routes>
            </MemoryRouter>
          </ApiContext.Provider>
        </AuthContext.Provider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
