import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import {
  authorizationUrl,
  endSessionUrl,
  handleCallback,
  idTokenClaims,
  refresh,
  revokeRefreshToken,
  type CallbackResult,
  type OidcConfig,
  type TokenSet,
} from './oidc';

export interface SignedInUser {
  subject: string;
  name: string | null;
  username: string | null;
  email: string | null;
}

export type AuthStatus =
  | { status: 'loading' }
  | { status: 'signedIn'; user: SignedInUser; scope: string[] }
  | { status: 'signedOut' }
  | { status: 'error'; error: Error };

export interface AuthContextValue {
  auth: AuthStatus;
  /** A live access token, renewed first if it is about to expire. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  signIn(): void;
  signOut(): void;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside an AuthProvider');
  return value;
}

/** Renew this long before the access token expires. */
const RENEW_BEFORE_MS = 60_000;

// A callback URL is redeemed once, even when React runs effects twice (StrictMode) or remounts.
const callbacks = new Map<string, Promise<CallbackResult>>();

function signedOutKey(config: OidcConfig): string {
  return `tessera.signedOut.${config.tenant}.${config.clientId}`;
}

function userOf(tokens: TokenSet): SignedInUser {
  const claims = idTokenClaims(tokens.idToken);
  const str = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : null);
  return { subject: str('sub') ?? '', name: str('name'), username: str('preferred_username'), email: str('email') };
}

/**
 * Signs the user in with the authorization code flow and PKCE and keeps the tokens in memory only.
 * Arriving without tokens (first visit or reload) re-authorizes silently with prompt=none (the
 * server's session makes it a quick redirect) and falls back to the login page.
 */
export function AuthProvider({ config, children }: { config: OidcConfig; children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const [auth, setAuth] = useState<AuthStatus>({ status: 'loading' });
  const tokens = useRef<TokenSet | null>(null);
  const refreshing = useRef<Promise<TokenSet> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const redirectToAuthorize = useCallback(
    async (silent: boolean, returnTo?: string) => {
      const here = returnTo ?? `${window.location.pathname}${window.location.search}`;
      const target = here.startsWith(config.redirectPath) ? config.postLogoutPath : here;
      window.location.assign(await authorizationUrl(config, { returnTo: target, silent }));
    },
    [config],
  );

  const accept = useCallback(
    (next: TokenSet) => {
      tokens.current = next;
      setAuth((previous) => {
        const user = userOf(next);
        // Keep the same object when nothing visible changed, so a renewal does not re-render the app.
        if (previous.status === 'signedIn' && previous.user.subject === user.subject && previous.scope.join(' ') === next.scope.join(' ')) {
          return previous;
        }
        return { status: 'signedIn', user, scope: next.scope };
      });
      clearTimeout(timer.current);
      if (next.refreshToken) {
        const delay = Math.max(next.expiresAt - Date.now() - RENEW_BEFORE_MS, 5_000);
        timer.current = setTimeout(() => void renew().catch(() => undefined), delay);
      }
    },
    [],
  );

  const renew = useCallback(async (): Promise<TokenSet> => {
    const current = tokens.current;
    if (!current) throw new Error('not signed in');
    // One refresh at a time: refresh tokens rotate, so a second concurrent use would kill the family.
    refreshing.current ??= refresh(config, current)
      .then((next) => {
        accept(next);
        return next;
      })
      .catch((error: unknown) => {
        tokens.current = null;
        // The session may still be alive at the server: try the quick silent round trip.
        void redirectToAuthorize(true);
        throw error;
      })
      .finally(() => {
        refreshing.current = null;
      });
    return refreshing.current;
  }, [accept, config, redirectToAuthorize]);

  useEffect(() => () => clearTimeout(timer.current), []);

  // Bootstrap: either redeem the callback or start a (silent) authorization.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (location.pathname === config.redirectPath) {
      const key = `${config.clientId}|${location.search}`;
      let pending = callbacks.get(key);
      if (!pending) {
        pending = handleCallback(config, location.search);
        callbacks.set(key, pending);
      }
      void pending.then((result) => {
        if (result.kind === 'tokens') {
          sessionStorage.removeItem(signedOutKey(config));
          accept(result.tokens);
          navigate(result.returnTo, { replace: true });
        } else if (result.kind === 'interaction_required') {
          void redirectToAuthorize(false, result.returnTo);
        } else {
          setAuth({ status: 'error', error: result.error });
          navigate(config.postLogoutPath, { replace: true });
        }
      });
      return;
    }
    if (sessionStorage.getItem(signedOutKey(config))) {
      setAuth({ status: 'signedOut' });
      return;
    }
    redirectToAuthorize(true).catch((error: unknown) => setAuth({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) }));
  }, []);

  const getAccessToken = useCallback(
    async (options: { forceRefresh?: boolean } = {}) => {
      const current = tokens.current;
      if (!current) throw new Error('not signed in');
      if (options.forceRefresh || current.expiresAt - Date.now() < 30_000) {
        if (current.refreshToken) return (await renew()).accessToken;
        if (current.expiresAt <= Date.now()) {
          void redirectToAuthorize(true);
          throw new Error('the session expired');
        }
      }
      return current.accessToken;
    },
    [renew, redirectToAuthorize],
  );

  const signIn = useCallback(() => {
    sessionStorage.removeItem(signedOutKey(config));
    setAuth({ status: 'loading' });
    void redirectToAuthorize(false, config.postLogoutPath);
  }, [config, redirectToAuthorize]);

  const signOut = useCallback(() => {
    const current = tokens.current;
    tokens.current = null;
    clearTimeout(timer.current);
    sessionStorage.setItem(signedOutKey(config), '1');
    setAuth({ status: 'loading' });
    void (async () => {
      await revokeRefreshToken(config, current);
      window.location.assign(await endSessionUrl(config, current?.idToken ?? null));
    })();
  }, [config]);

  const value = useMemo<AuthContextValue>(() => ({ auth, getAccessToken, signIn, signOut }), [auth, getAccessToken, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
