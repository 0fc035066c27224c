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

  send(reply: FastifyReply, page: Page): void {
    reply
      .status(page.status)
      .header('Cache-Control', 'no-store')
      .header('Content-Security-Policy', HTML_CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' 'nonce-${page.styleNonce}'`))
      .type('text/html; charset=utf-8')
      .send(page.html);
  }

  sendError(reply: FastifyReply, tenant: Tenant | null, title: string, detail: string, status: number): void {
    this.send(reply, errorPage(this.branding(tenant), title, detail, status));
  }
}
