import { beforeEach, describe, expect, it } from '@jest/globals';
import type { RequestOrigin } from '@tessera/audit';
import type { Client } from '@tessera/clients';
import { ManualClock } from '@tessera/clock/testing';
import type { AuthorizationRequest, TenantContext } from '@tessera/oauth-core';
import type { FastifyReply } from 'fastify';
import { AuthorizationFlow } from './authorization-flow.service.js';
import type { Session } from './session.service.js';

const TENANT = {
  id: 'tenant-1',
  slug: 'acme',
  issuer: 'https://as.example/t/acme',
  audience: 'https://as.example/t/acme/api',
  settings: { passwordGrantEnabled: false, implicitGrantEnabled: false },
} as TenantContext;
const CLIENT = { id: 'client-ref', clientId: 'web', firstParty: true } as Client;
const ORIGIN: RequestOrigin = { actor: { type: 'user', id: null, label: null }, ip: null, userAgent: null };
const SIGN_IN = Date.parse('2030-01-01T08:00:00.000Z');

/** Where the flow sent the browser. */
function browser(): { reply: FastifyReply; location: () => URL } {
  let location = '';
  const reply = {
    header: () => reply,
    redirect: (url: string) => {
      location = url;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, location: () => new URL(location) };
}

function request(maxAge: number | undefined): AuthorizationRequest {
  return {
    responseType: 'code',
    clientId: CLIENT.clientId,
    redirectUri: 'https://app.example/cb',
    redirectUriGiven: true,
    scopes: ['openid'],
    state: 'xyz',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    prompt: ['none'],
    maxAge,
  };
}

describe('AuthorizationFlow: max_age on a clock the spec moves (OIDC Core 3.1.2.1)', () => {
  let clock: ManualClock;
  let flow: AuthorizationFlow;
  const session: Session = { userId: 'ada', authTime: SIGN_IN / 1000, createdAt: SIGN_IN, sessionVersion: 0 };

  beforeEach(() => {
    clock = new ManualClock(SIGN_IN);
    // Only what a first-party code flow with prompt=none touches; the rest would fail loudly if reached.
    const codes = { issue: async () => 'the-code' };
    const grantable = { grantable: async (_tenant: unknown, _user: string, scopes: string[]) => scopes };
    const unused = {} as never;
    flow = new AuthorizationFlow(unused, unused, unused, codes as never, unused, unused, grantable as never, unused, clock);
  });

  const authorize = async (maxAge: number | undefined): Promise<URL> => {
    const { reply, location } = browser();
    await flow.proceed(reply, TENANT, CLIENT, null, { request: request(maxAge) }, session, ORIGIN);
    return location();
  };

  it('uses the session while its sign-in is at most max_age seconds old', async () => {
    clock.advance(60_000);
    const answer = await authorize(60);
    expect(answer.searchParams.get('code')).toBe('the-code');
    expect(answer.searchParams.get('error')).toBeNull();
  });

  it('asks for a new sign-in (login_required with prompt=none) once the sign-in is older than max_age', async () => {
    clock.advance(61_000);
    const answer = await authorize(60);
    expect(answer.searchParams.get('error')).toBe('login_required');
    expect(answer.searchParams.get('state')).toBe('xyz');
    expect(answer.searchParams.get('code')).toBeNull();
  });

  it('keeps using the session without max_age, however old its sign-in', async () => {
    clock.advance(11 * 3_600_000);
    expect((await authorize(undefined)).searchParams.get('code')).toBe('the-code');
  });
});
