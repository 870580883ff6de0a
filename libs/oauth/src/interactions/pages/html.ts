import { DOCUMENT_OPENER_POLICY } from '@portcullis/core';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Where the one stylesheet of every page is served. */
export const STYLESHEET_PATH = '/api/v1/oauth/interaction/assets/style.css';

/**
 * The frame of every page: a language, a title, one stylesheet, a main landmark. Pages need
 * no JavaScript; forms are plain POSTs.
 */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Portcullis</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** A message screen readers announce as soon as the page loads. */
export function alert(message: string | undefined): string {
  return message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : '';
}

/**
 * The pages' Content-Security-Policy: nothing but our stylesheet, no framing, and forms that
 * post here. CSP form-action also governs the redirects after a form is sent, so the origin
 * the flow ends at (a client's redirect URI) is allowed too.
 */
function pageSecurityPolicy(formTarget?: string): string {
  const formAction = ["'self'", formTarget].filter(Boolean).join(' ');
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

/**
 * The headers every page sends on top of the API's: its own Content-Security-Policy (the
 * API's loads nothing, not even our stylesheet) and the opener policy documents need.
 */
export function pageHeaders(formTarget?: string): Record<string, string> {
  return { 'content-security-policy': pageSecurityPolicy(formTarget), ...DOCUMENT_OPENER_POLICY };
}
