import { alert, escapeHtml, page } from './html.js';

export interface LoginPageInput {
  action: string;
  csrfToken: string;
  clientName: string;
  username?: string;
  error?: string;
}

/** "Sign in": username or e-mail and password, nothing else; works without JavaScript. */
export function loginPage(input: LoginPageInput): string {
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${alert(input.error)}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrfToken)}">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(input.username ?? '')}"${input.error ? ' aria-invalid="true"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${input.error ? ' aria-invalid="true"' : ''}>
<button class="primary" type="submit">Sign in</button>
</form>`,
  );
}
