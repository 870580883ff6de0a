import pg from 'pg';
import type TestAgent from 'supertest/lib/agent.js';

import { queryDatabase } from '../helpers/database-queries.js';
import { TEST_ADMIN } from '../helpers/test-app.js';
import { login, type TestTokens } from '../helpers/users.js';

export const AUDIT_LIST = '/api/v1/admin/audit';
export const AUDIT_VERIFY = '/api/v1/admin/audit/verify';
export const AUDIT_EXPORT = '/api/v1/admin/audit/export';
export const MY_ACTIVITY = '/api/v1/auth/me/activity';

/** The bootstrap admin, who holds every admin scope. */
export function adminTokens(http: TestAgent, scope?: string): Promise<TestTokens> {
  return login(http, TEST_ADMIN.username, TEST_ADMIN.password, scope);
}

export interface StoredAuditRow {
  id: string;
  sequence: string;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  occurred_at: Date;
  previous_hash: string | null;
  hash: string;
}

/** Every stored event, newest first, for comparing what the API answers with what is there. */
export function storedAuditRows(
  databaseUrl: string,
  where = 'true',
  parameters: unknown[] = [],
): Promise<StoredAuditRow[]> {
  return queryDatabase<StoredAuditRow>(
    databaseUrl,
    `SELECT id, sequence, action, outcome, actor_type, actor_id, target_type, target_id, request_id, occurred_at,
            previous_hash, hash
       FROM audit_events WHERE ${where} ORDER BY sequence DESC`,
    parameters,
  );
}

/**
 * Runs statements behind the API's back with the append-only trigger off, in one transaction,
 * as someone with DDL rights on the database could.
 */
export async function tamper(
  databaseUrl: string,
  statements: [sql: string, parameters?: unknown[]][],
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    for (const [sql, parameters] of statements) await client.query(sql, parameters);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

/** RFC 4180 parser: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
