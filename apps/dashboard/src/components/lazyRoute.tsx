import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { ErrorState, LoadingState } from './states';

/**
 * React.lazy for a page module's named export: the page becomes its own chunk, fetched from
 * /assets/ (script-src 'self') the first time its route renders.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bound React.lazy itself uses
export function lazyPage<K extends string, M extends Record<K, ComponentType<any>>>(load: () => Promise<M>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

interface BoundaryProps {
  resetKey: string;
  children: ReactNode;
}

/**
 * Catches a page that failed to load or render, so the shell stays usable. The usual cause is a
 * chunk that is no longer on the server (a new deployment while the tab was open): a reload
 * fetches the current index.html and its chunks. Leaving for another path clears the error.
 */
class RouteErrorBoundary extends Component<BoundaryProps, { error: unknown; key: string }> {
  constructor(props: BoundaryProps) {
    super(props);
    this.state = { error: null, key: props.resetKey };
  }

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: { key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    // React has already logged the error (its default onCaughtError).
    return <ErrorState title="Could not show this page" error={this.state.error} onRetry={() => window.location.reload()} />;
  }
}

/** A route's page: a loader while its chunk loads, an error state if it cannot. */
export function RoutePage({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <RouteErrorBoundary resetKey={pathname}>
      <Suspense fallback={<LoadingState />}>{children}</Suspense>
    </RouteErrorBoundary>
  );
}
