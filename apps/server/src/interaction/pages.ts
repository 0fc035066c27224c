import { escapeHtml, layout, type Branding, type Page } from './html.js';

export function loginPage(
  branding: Branding,
  input: { action: string; csrf: string; username?: string; error?: string; clientName: string; status?: number },
): Page {
  const error = input.error ? `<p class="error" role="alert" id="login-error">${escapeHtml(input.error)}</p>` : '';
  return layout(
    branding,
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${error}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(input.username ?? '')}"${input.error ? ' aria-describedby="login-error"' : ''}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
    input.status ?? (input.error ? 401 : 200),
  );
}

export function consentPage(
  branding: Branding,
  input: { action: string; csrf: string; clientName: string; scopes: { name: string; description: string }[]; username: string },
): Page {
  const items = input.scopes
    .map((s) => `<li><strong>${escapeHtml(s.description || s.name)}</strong> <code>${escapeHtml(s.name)}</code></li>`)
    .join('\n');
  return layout(
    branding,
    'Allow access',
    `<h1>Allow ${escapeHtml(input.clientName)}?</h1>
<p>Signed in as <strong>${escapeHtml(input.username)}</strong>. <strong>${escapeHtml(input.clientName)}</strong> asks to:</p>
<ul class="scopes">
${items || '<li>Know that you signed in</li>'}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<div class="actions">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`,
  );
}

/** For requests that cannot be sent back to the client (unknown client, unregistered redirect URI). */
export function errorPage(branding: Branding, title: string, detail: string, status = 400): Page {
  return layout(
    branding,
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(detail)}</p>
<p>Go back to the application and try again. If this keeps happening, tell the application's owner.</p>`,
    status,
  );
}

export function signedOutPage(branding: Branding): Page {
  return layout(branding, 'Signed out', '<h1>You are signed out</h1><p>You can close this window.</p>');
}

/** RP-Initiated Logout 1.0 section 2: without an id_token_hint the user confirms the sign-out. */
export function confirmLogoutPage(branding: Branding, input: { action: string; csrf: string; carried: Record<string, string> }): Page {
  const hidden = Object.entries(input.carried)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return layout(
    branding,
    'Sign out',
    `<h1>Sign out?</h1>
<p>Do you want to sign out of ${escapeHtml(branding.displayName)}?</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
${hidden}
<div class="actions"><button type="submit" name="confirm" value="yes" class="primary">Sign out</button></div>
</form>`,
  );
}
