import { MantineProvider } from '@mantine/core';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { Link, MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { theme } from '../theme';
import { lazyPage, RoutePage } from './lazyRoute';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function Hello({ name }: { name: string }) {
  return <h1>Hello {name}</h1>;
}

function renderRoutes(routes: Record<string, ReactNode>, path: string) {
  return render(
    <MantineProvider theme={theme}>
      <MemoryRouter initialEntries={[path]}>
        <Link to="/other">Elsewhere</Link>
        <Routes>
          {Object.entries(routes).map(([p, element]) => (
            <Route key={p} path={p} element={<RoutePage>{element}</RoutePage>} />
          ))}
        </Routes>
      </MemoryRouter>
    </MantineProvider>,
  );
}

describe('lazy route pages', () => {
  it('shows a loader until the chunk arrives, then the named export', async () => {
    const chunk = deferred<{ Hello: typeof Hello; other: string }>();
    const Page = lazyPage(() => chunk.promise, 'Hello');
    renderRoutes({ '/': <Page name="Ada" /> }, '/');
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    await act(async () => chunk.resolve({ Hello, other: 'unused' }));
    expect(await screen.findByRole('heading', { name: 'Hello Ada' })).toBeInTheDocument();
  });

  it('shows an error with a reload when the chunk cannot be fetched, and clears it on another path', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    const Broken = lazyPage(() => Promise.reject<{ Hello: typeof Hello }>(new TypeError('Failed to fetch dynamically imported module: /assets/Gone-abc123.js')), 'Hello');
    renderRoutes({ '/': <Broken name="Ada" />, '/other': <Hello name="again" /> }, '/');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not show this page');
    expect(alert).toHaveTextContent('Failed to fetch dynamically imported module');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledOnce();

    await user.click(screen.getByRole('link', { name: 'Elsewhere' }));
    expect(await screen.findByRole('heading', { name: 'Hello again' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    error.mockRestore();
  });
});
