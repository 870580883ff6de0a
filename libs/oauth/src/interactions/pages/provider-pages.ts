import type { KoaContextWithOIDC } from 'oidc-provider';

import { escapeHtml, page, pageHeaders } from './html.js';
import { messagePage } from './message-page.js';

function originOf(uri: unknown): string | undefined {
  try {
    return typeof uri === 'string' ? new URL(uri).origin : undefined;
  } catch {
    return undefined;
  }
}

/** Answers a page with its document headers; `formTarget` as for pageHeaders. */
function render(ctx: KoaContextWithOIDC, html: string, formTarget?: string): void {
  ctx.set(pageHeaders(formTarget));
  ctx.type = 'html';
  ctx.body = html;
}

/**
 * The pages oidc-provider renders itself (logout, device code, errors), in our frame. The
 * provider passes its forms (with their CSRF field) as HTML; buttons point at them by id.
 */
export const providerPages = {
  logoutSource(ctx: KoaContextWithOIDC, form: string): void {
    // Signing out of an application ends the whole browser session: `logout=yes`. The form's
    // redirect chain ends at the client's (validated) post-logout redirect URI.
    render(
      ctx,
      page(
        'Sign out',
        `<p>Do you want to sign out?</p>
${form}
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
      ),
      originOf(ctx.oidc.params?.post_logout_redirect_uri),
    );
  },

  postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
    render(ctx, messagePage('Signed out', 'You are signed out.'));
  },

  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
    render(
      ctx,
      messagePage(
        'Something went wrong',
        `${out.error}: ${out.error_description ?? 'the request could not be completed'}`,
        true,
      ),
    );
  },

  userCodeInputSource(
    ctx: KoaContextWithOIDC,
    form: string,
    _out: unknown,
    error?: Error & { userCode?: string },
  ): void {
    const message = error
      ? error.userCode || error.name === 'NoCodeError'
        ? 'The code you entered is not valid. Try again.'
        : 'The request could not be completed. Try again.'
      : undefined;
    const labelled = form
      .replace('name="user_code"', 'id="user_code" name="user_code"')
      .replace(/ onfocus="[^"]*"/, '');
    render(
      ctx,
      page(
        'Connect a device',
        `${message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : ''}
<label for="user_code" form="op.deviceInputForm">Code shown on your device</label>
${labelled}
<button class="primary" type="submit" form="op.deviceInputForm">Continue</button>`,
      ),
    );
  },

  userCodeConfirmSource(
    ctx: KoaContextWithOIDC,
    form: string,
    client: { clientName?: string; clientId: string },
    _deviceInfo: unknown,
    userCode: string,
  ): void {
    render(
      ctx,
      page(
        'Confirm the device',
        `<p><strong>${escapeHtml(client.clientName ?? client.clientId)}</strong> asks to connect. Check that your device shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>
${form}
<button class="primary" type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button>`,
      ),
    );
  },

  successSource(ctx: KoaContextWithOIDC): void {
    render(ctx, messagePage('Device connected', 'You can return to your device now.'));
  },
};
