import type { FastifyInstance } from 'fastify';

/** A strict policy for every HTML page we serve: our own scripts and styles only, never framed. */
export const HTML_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/**
 * The dashboard's index.html: the same, except that styles may be inline. Mantine (the dashboard's
 * component library) sets CSS variables and per-component styles through `style` attributes and a
 * runtime `<style>` element, which `style-src 'self'` would block. Scripts stay strictly `'self'`
 * (no inline script, no eval), so injected markup still cannot run code; the login and consent
 * pages keep their own nonce-based policy.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = HTML_CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

export function registerSecurityHeaders(fastify: FastifyInstance, https: boolean): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (https) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !request.url.startsWith('/admin/api/docs')) {
      // Pages that set their own (stricter, with a style nonce) policy keep it.
      if (!reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', HTML_CONTENT_SECURITY_POLICY);
      reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });
}
