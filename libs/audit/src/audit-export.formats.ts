import type { AuditEventRecord } from './audit-event.record.js';

export type AuditExportFormat = 'ndjson' | 'csv';

/** How each export format is written and served. */
export interface AuditExportFormatter {
  contentType: string;
  extension: string;
  /** Written once before the first event. */
  header: string;
  line(record: AuditEventRecord): string;
}

const CSV_COLUMNS = [
  'id',
  'sequence',
  'occurred_at',
  'action',
  'outcome',
  'actor_type',
  'actor_id',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'request_id',
  'details',
  'previous_hash',
  'hash',
] as const;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. A text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with a quote
 * mark, as OWASP advises: user agents and ids come from callers. NDJSON is the faithful format.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(record: AuditEventRecord): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
    id: record.id,
    sequence: record.sequence,
    occurred_at: record.occurred_at,
    action: record.action,
    outcome: record.outcome,
    actor_type: record.actor.type,
    actor_id: record.actor.id,
    target_type: record.target?.type ?? null,
    target_id: record.target?.id ?? null,
    ip: record.ip,
    user_agent: record.user_agent,
    request_id: record.request_id,
    details: JSON.stringify(record.details),
    previous_hash: record.previous_hash,
    hash: record.hash,
  };
  return `${CSV_COLUMNS.map((column) => csvField(values[column])).join(',')}\r\n`;
}

export const AUDIT_EXPORT_FORMATS: Record<AuditExportFormat, AuditExportFormatter> = {
  ndjson: {
    contentType: 'application/x-ndjson',
    extension: 'ndjson',
    header: '',
    line: (record) => `${JSON.stringify(record)}\n`,
  },
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    header: `${CSV_COLUMNS.join(',')}\r\n`,
    line: csvLine,
  },
};
