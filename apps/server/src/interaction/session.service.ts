import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@tessera/clock';
import { ShortLivedStateStore } from '@tessera/short-lived-state';
import { TenancyOptions } from '@tessera/tenancy';
import { UsersService, type User } from '@tessera/users';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, serializeCookie } from './cookies.js';

/** A signed-in browser at one tenant. */
export interface Session {
  userId: string;
  /** Seconds since the epoch (OIDC auth_time). */
  authTime: number;
  createdAt: number;
  /** The user's sessionVersion at sign-in (absent in sessions of older releases: 0). */
  sessionVersion?: number;
}

const SESSION_COOKIE = 'tessera_session';
const CSRF_COOKIE = 'tessera_csrf';
/** A session ends after 30 idle minutes, or 12 hours after sign-in whatever happens. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;

/** Secret for CSRF tokens; derived from KEY_ENCRYPTION_KEY by the composition root. */
export abstract class InteractionOptions {
  abstract readonly csrfKey: Buffer;
}

/**
 * Per-tenant browser sessions: the cookie (HttpOnly, SameSite=Lax, Secure behind https, path of the
 * tenant) holds a random id; the session itself lives in the short-lived-state store under the id's
 * hash, with idle and absolute timeouts. A session counts only while its sign-in stands: the user
 * still exists, is enabled and has had no new password since (UsersService.signedIn). That is checked
 * at every use rather than by deleting sessions, so it holds on every server process at once.
 * CSRF tokens are HMACs binding a per-browser cookie to one interaction (double-submit, keyed).
 */
@Injectable()
export class SessionService {
  private readonly secure: boolean;

  constructor(
    private readonly store: ShortLivedStateStore,
    private readonly users: UsersService,
    tenancy: TenancyOptions,
    private readonly options: InteractionOptions,
    private readonly clock: Clock,
  ) {
    this.secure = tenancy.publicUrl.startsWith('https://');
  }

  /** The browser's session at this tenant; null (and the session ended) once its sign-in no longer stands. */
  async current(request: FastifyRequest, tenantId: string): Promise<Session | null> {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!id) return null;
    const key = this.key(tenantId, id);
    const raw = await this.store.get(key);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    const left = session.createdAt + SESSION_ABSOLUTE_MS - this.clock.now();
    if (left <= 0 || !(await this.users.signedIn(tenantId, session.userId, session.sessionVersion))) {
      await this.store.delete(key);
      return null;
    }
    // Sliding idle timeout, never past the absolute end.
    await this.store.put(key, raw, Math.min(SESSION_IDLE_MS, left));
    return session;
  }

  /** A fresh session id at every sign-in (no session fixation). */
  async start(
    reply: FastifyReply,
    tenant: { id: string; slug: string },
    user: Pick<User, 'id' | 'sessionVersion'>,
    previous?: FastifyRequest,
  ): Promise<Session> {
    if (previous) await this.end(previous, reply, tenant);
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: Session = { userId: user.id, authTime: Math.floor(now / 1000), createdAt: now, sessionVersion: user.sessionVersion };
    await this.store.put(this.key(tenant.id, id), JSON.stringify(session), SESSION_IDLE_MS);
    reply.header('Set-Cookie', serializeCookie(SESSION_COOKIE, id, { path: this.path(tenant.slug), secure: this.secure, sameSite: 'Lax' }));
    return session;
  }

  async end(request: FastifyRequest, reply: FastifyReply, tenant: { id: string; slug: string }): Promise<void> {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (id) await this.store.delete(this.key(tenant.id, id));
    reply.header(
      'Set-Cookie',
      serializeCookie(SESSION_COOKIE, 'deleted', { path: this.path(tenant.slug), secure: this.secure, sameSite: 'Lax', maxAge: 0 }),
    );
  }

  /** The CSRF token for a form of this interaction; sets the browser's CSRF cookie if missing. */
  csrfToken(request: FastifyRequest, reply: FastifyReply, tenantSlug: string, interactionId: string): string {
    let browser = readCookie(request.headers.cookie, CSRF_COOKIE);
    if (!browser) {
      browser = randomBytes(24).toString('base64url');
      reply.header(
        'Set-Cookie',
        serializeCookie(CSRF_COOKIE, browser, { path: this.path(tenantSlug), secure: this.secure, sameSite: 'Strict' }),
      );
    }
    return this.mac(browser, interactionId);
  }

  checkCsrf(request: FastifyRequest, interactionId: string, presented: string | undefined): boolean {
    const browser = readCookie(request.headers.cookie, CSRF_COOKIE);
    if (!browser || !presented) return false;
    const expected = Buffer.from(this.mac(browser, interactionId));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(browser: string, interactionId: string): string {
    return createHmac('sha256', this.options.csrfKey).update(`${browser}:${interactionId}`).digest('base64url');
  }

  private key(tenantId: string, id: string): string {
    return `session:${tenantId}:${createHash('sha256').update(id).digest('base64url')}`;
  }

  private path(slug: string): string {
    return `/t/${slug}/`;
  }
}
