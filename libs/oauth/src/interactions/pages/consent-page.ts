import { escapeHtml, page } from './html.js';

export interface ConsentPageInput {
  action: string;
  csrfToken: string;
  clientName: string;
  /** What each asked scope allows, in words. */
  scopes: { name: string; description: string }[];
}

/** Names the client and says in words what it asks for; "Allow" or "Deny". */
export function consentPage(input: ConsentPageInput): string {
  const items = input.scopes
    .map((scope) => `<li>${escapeHtml(scope.description || scope.name)}</li>`)
    .join('\n');
  return page(
    `Allow ${input.clientName}?`,
    `<p><strong>${escapeHtml(input.clientName)}</strong> asks to:</p>
<ul class="scopes">
${items}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrfToken)}">
<button class="primary" type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="hint">You can take this back at any time.</p>`,
  );
}
