import { alert, escapeHtml, page } from './html.js';

export interface PasswordChangePageInput {
  action: string;
  csrfToken: string;
  errors?: string[];
}

/** Asked right after sign-in when the user must choose a new password. */
export function passwordChangePage(input: PasswordChangePageInput): string {
  const errors = input.errors ?? [];
  return page(
    'Choose a new password',
    `<p>Your password must be changed before you continue.</p>
${alert(errors.join(' '))}
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrfToken)}">
<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" required aria-describedby="new_password_hint"${errors.length ? ' aria-invalid="true"' : ''}>
<p class="hint" id="new_password_hint">At least 12 characters; a passphrase works well.</p>
<label for="confirm_password">Confirm new password</label>
<input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required>
<button class="primary" type="submit">Change password</button>
</form>`,
  );
}
