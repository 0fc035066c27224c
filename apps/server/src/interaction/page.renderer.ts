import { Injectable } from '@nestjs/common';
import type { Tenant } from '@tessera/tenancy';
import type { FastifyReply } from 'fastify';
import { HTML_CONTENT_SECURITY_POLICY } from '../http/security-headers.js';
import type { Branding, Page } from './html.js';
import { errorPage } from './pages.js';

/** Sends server-rendered pages with the tenant's branding and a CSP that admits only their own style block. */
@Injectable()
export class PageRenderer {
  branding(tenant: Tenant | null): Branding {
    return {
      displayName: tenant?.displayName ?? 'Tessera',
      logoUrl: tenant?.settings.branding.logoUrl ?? null,
      primaryColor: tenant?.settings.branding.primaryColor ?? null,
    };
  }

  /**
   * `redirectTargets`: where a form of this page may end up. Browsers apply CSP `form-action` to the
   * redirects that follow a form submission (CSP Level 3), and the login and consent forms end in a
   * redirect to the client's redirect URI, so its origin (or scheme, for a native app) is admitted.
   */
  send(reply: FastifyReply, page: Page, redirectTargets: readonly string[] = []): void {
    let policy = HTML_CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' 'nonce-${page.styleNonce}'`);
    const sources = [...new Set(redirectTargets.map(formActionSource).filter((s): s is string => s !== null))];
    if (sources.length > 0) policy = policy.replace("form-action 'self'", `form-action 'self' ${sources.join(' ')}`);
    reply
      .status(page.status)
      .header('Cache-Control', 'no-store')
      .header('Content-Security-Policy', policy)
      .type('text/html; charset=utf-8')
      .send(page.html);
  }

  sendError(reply: FastifyReply, tenant: Tenant | null, title: string, detail: string, status: number): void {
    this.send(reply, errorPage(this.branding(tenant), title, detail, status));
  }
}

/** The CSP source expression admitting a redirect URI: its origin (http/https) or its private-use scheme. */
export function formActionSource(redirectUri: string): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return null;
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    return /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/.test(url.origin) ? url.origin : null;
  }
  // A native app's private-use scheme (RFC 8252 section 7.1): a scheme-source; never a script-capable one.
  if (['javascript:', 'data:', 'blob:', 'file:', 'filesystem:'].includes(url.protocol)) return null;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : null;
}
