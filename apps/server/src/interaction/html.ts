import { randomBytes } from 'node:crypto';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Branding {
  displayName: string;
  logoUrl: string | null;
  primaryColor: string | null;
}

export interface Page {
  status: number;
  html: string;
  /** Nonce of the one inline style block, for the Content-Security-Policy header. */
  styleNonce: string;
}

const DEFAULT_COLOUR = '#1f5fbf';

/**
 * A complete page: one inline style block (allowed by its nonce, so the CSP stays strict), no script,
 * labels on every input, a skip-free simple focus order (heading, form fields, buttons).
 */
export function layout(branding: Branding, title: string, body: string, status = 200): Page {
  const styleNonce = randomBytes(16).toString('base64');
  const colour = branding.primaryColor && /^#[0-9a-fA-F]{6}$/.test(branding.primaryColor) ? branding.primaryColor : DEFAULT_COLOUR;
  const logo = branding.logoUrl && /^https:\/\//.test(branding.logoUrl)
    ? `<img class="logo" src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(branding.displayName)}">`
    : '';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(branding.displayName)}</title>
<style nonce="${styleNonce}">
:root { --brand: ${colour}; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f4f5f7; }
main { max-width: 26rem; margin: 8vh auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
.tenant { color: #4a4a4a; margin: 0 0 1.5rem; }
.logo { max-height: 48px; max-width: 100%; display: block; margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
input[type=text], input[type=password] { width: 100%; padding: .6rem .7rem; font-size: 1rem; border: 1px solid #8a8a8a; border-radius: 6px; }
input:focus, button:focus { outline: 3px solid var(--brand); outline-offset: 2px; }
button { font-size: 1rem; padding: .65rem 1.2rem; border-radius: 6px; border: 1px solid var(--brand); cursor: pointer; margin-top: 1.5rem; }
.primary { background: var(--brand); color: #fff; }
.secondary { background: #fff; color: #1a1a1a; border-color: #6b6b6b; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; }
.error { background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; padding: .6rem .8rem; border-radius: 6px; }
ul.scopes { padding-left: 1.2rem; }
ul.scopes li { margin: .35rem 0; }
code { font-size: .9em; }
</style>
</head>
<body>
<main>
${logo}<p class="tenant">${escapeHtml(branding.displayName)}</p>
${body}
</main>
</body>
</html>`;
  return { status, html, styleNonce };
}
