import { hash } from 'node:crypto';

import type { Adapter, AdapterPayload } from 'oidc-provider';
import { GroupCommit } from '@portcullis/core';
import type { SqlCall } from '@portcullis/database';
import type { DataSource } from 'typeorm';

import type { ProviderRequestWrites } from './provider-request-writes.js';
import { storedTokenValue } from './structured-token-lookup.js';

/** SHA-256 of a provider id: bearer values (tokens, codes, session ids) are never stored. */
export function digest(value: string): string {
  return hash('sha256', value, 'base64url');
}

/** The digest a record is stored under: that of the token itself, however it was presented. */
function recordId(id: string): string {
  return digest(storedTokenValue(id));
}

/** `manager.query` or `dataSource.query`: runs inside the caller's transaction when given one. */
type QueryRunnerLike = (sql: string, parameters: unknown[]) => Promise<unknown>;

interface Row {
  payload: AdapterPayload;
  consumed_at: Date | null;
}

/**
 * oidc-provider's storage over PostgreSQL (table `oidc_payloads`). Rows are keyed by the
 * digest of the provider's id; the clear id is dropped from the payload, except for the
 * two models the provider must load by a secondary key and then save again by id
 * (sessions by uid, device codes by user code).
 */
export function createPostgresAdapter(dataSource: DataSource, requestWrites: ProviderRequestWrites) {
  const query: QueryRunnerLike = (sql, parameters) => dataSource.query(sql, parameters);
  const accessTokenRecords = new GroupCommit<RecordRow>((rows) => insertRecords(query, rows));

  return class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const keepsClearId = payload.uid !== undefined || payload.userCode !== undefined;
      const { jti: _jti, ...rest } = payload;
      const row: RecordRow = {
        model: this.model,
        id: recordId(id),
        payload: JSON.stringify(keepsClearId ? payload : rest),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ? digest(payload.userCode) : null,
        uid: payload.uid ?? null,
        ttl: expiresIn && expiresIn > 0 ? Math.ceil(expiresIn) : null,
        sessionId: sessionIdOf(payload),
      };
      // A user's access token is the one record made on every token request (a JWT's too:
      // see stored-jwt-access-tokens.ts). Within a provider request the record commits with
      // the request's audit events before the response (ProviderRequestWrites); elsewhere
      // (first-party logins) concurrent ones share one INSERT and one commit.
      if (this.model === 'AccessToken') {
        if (requestWrites.deferRecord(row)) return;
        await accessTokenRecords.add(row);
        return;
      }
      await insertRecords(query, [row]);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const rows = (await dataSource.query(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, recordId(id)],
      )) as Row[];
      return rows.length === 0 ? undefined : { ...toPayload(rows[0]), jti: id };
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const rows = (await dataSource.query(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, uid],
      )) as Row[];
      return rows.length === 0 ? undefined : toPayload(rows[0]);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const rows = (await dataSource.query(
        `SELECT payload, consumed_at FROM oidc_payloads WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, digest(userCode)],
      )) as Row[];
      return rows.length === 0 ? undefined : toPayload(rows[0]);
    }

    async consume(id: string): Promise<void> {
      await dataSource.query(
        `UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 AND consumed_at IS NULL`,
        [this.model, recordId(id)],
      );
    }

    async destroy(id: string): Promise<void> {
      await dataSource.query(`DELETE FROM oidc_payloads WHERE model = $1 AND id = $2`, [
        this.model,
        recordId(id),
      ]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await dataSource.query(`DELETE FROM oidc_payloads WHERE grant_id = $1`, [grantId]);
    }
  };
}

export interface RecordRow {
  model: string;
  id: string;
  payload: string;
  grantId: string | null;
  userCode: string | null;
  uid: string | null;
  /** Seconds to live; null for records without an expiry. */
  ttl: number | null;
  sessionId: string | null;
}

const ON_CONFLICT_UPDATE = `
     ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
       user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at,
       session_id = EXCLUDED.session_id`;

/** Upserts records, in one statement however many. */
export async function insertRecords(query: QueryRunnerLike, rows: RecordRow[]): Promise<void> {
  const upsert = recordsUpsert(rows);
  await query(upsert.sql, upsert.parameters);
}

/**
 * The statement that upserts `rows`, one array per column, to run alone or inside another.
 * `fresh` rows cannot exist yet (access tokens, named by the digest of a token just signed):
 * they are inserted without the conflict check, and an impossible repeat fails loudly.
 */
export function recordsUpsert(rows: RecordRow[], { fresh = false } = {}): SqlCall {
  const column = <K extends keyof RecordRow>(key: K) => rows.map((row) => row[key]);
  return {
    sql: `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at, session_id)
     SELECT model, id, payload::jsonb, grant_id, user_code, uid,
            CASE WHEN ttl IS NULL THEN NULL ELSE now() + make_interval(secs => ttl) END, session_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::uuid[])
         AS r(model, id, payload, grant_id, user_code, uid, ttl, session_id)${fresh ? '' : ON_CONFLICT_UPDATE}`,
    parameters: [
      column('model'),
      column('id'),
      column('payload'),
      column('grantId'),
      column('userCode'),
      column('uid'),
      column('ttl'),
      column('sessionId'),
    ],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The sessions row a record belongs to: a provider session's `sid` (the same for every
 * client: see BrowserSessionsService), a code's or token's `sid`, or a first-party access
 * token's `extra.sid`. Indexed, so ending a session finds all of its records at once.
 */
function sessionIdOf(payload: AdapterPayload): string | null {
  const authorizations = Object.values(payload.authorizations ?? {}) as { sid?: string }[];
  const extra = payload.extra as { sid?: unknown } | undefined;
  const candidates = [payload.sid, ...authorizations.map((authorization) => authorization.sid), extra?.sid];
  return candidates.find((value): value is string => typeof value === 'string' && UUID.test(value)) ?? null;
}

function toPayload(row: Row): AdapterPayload {
  return row.consumed_at
    ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) }
    : row.payload;
}

/**
 * Consumes a record only if nobody has: the single atomic step behind refresh-token
 * rotation, so of many concurrent uses of one token exactly one wins.
 */
export async function consumeOnce(query: QueryRunnerLike, model: string, id: string): Promise<boolean> {
  const [, count] = (await query(
    `UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 AND consumed_at IS NULL`,
    [model, digest(id)],
  )) as [unknown, number];
  return count === 1;
}

/** Deletes every record of the given grants (tokens, codes, the grant itself). */
export async function deleteGrants(
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
  grantIds: string[],
): Promise<void> {
  await query(
    `DELETE FROM oidc_payloads WHERE grant_id = ANY($1::text[]) OR (model = 'Grant' AND id = ANY($2::text[]))`,
    [grantIds, grantIds.map(digest)],
  );
}

/** Deletes up to `limit` expired provider records (codes, tokens, interactions, grants...). */
export async function deleteExpiredRecords(query: QueryRunnerLike, limit: number): Promise<number> {
  const [, count] = (await query(
    `DELETE FROM oidc_payloads p USING (
       SELECT model, id FROM oidc_payloads WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED
     ) expired WHERE p.model = expired.model AND p.id = expired.id`,
    [limit],
  )) as [unknown, number];
  return count;
}
