import { alert, escapeHtml, page } from './html.js';

/** A page that only says something: errors and confirmations. */
export function messagePage(title: string, message: string, isError = false): string {
  return page(title, isError ? alert(message) : `<p>${escapeHtml(message)}</p>`);
}
