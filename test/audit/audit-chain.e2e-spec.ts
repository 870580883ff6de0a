import { AUDIT_CHAIN_LOCK, AuditRetentionService, AuditService, computeAuditHash } from '@portcullis/audit';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';
import { AUDIT_VERIFY, adminTokens, storedAuditRows, tamper } from './audit-test-helpers.js';

describe('the audit hash chain', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminTokens(sut.http);
  });
  afterAll(() => sut.close());

  async function verify() {
    const response = await sut.http.get(AUDIT_VERIFY).set(...bearer(admin));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as {
      ok: boolean;
      checked: number;
      last_sequence?: number | null;
      first_broken?: { sequence: number; id: string; reason: string };
    };
  }

  async function eventRow(id: string) {
    const [row] = await queryDatabase<Record<string, unknown>>(
      sut.databaseUrl,
      'SELECT row_to_json(e)::text AS json FROM audit_events e WHERE id = $1',
      [id],
    );
    return row.json as string;
  }

  it('should keep one unforked, gap-free chain that verifies when many requests write at once', async () => {
    const existing = await Promise.all(Array.from({ length: 6 }, () => registerUser(sut.http)));
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) =>
        sut.http.post('/api/v1/auth/register').send({
          username: `concurrent_${i}_${Date.now()}`,
          email: `concurrent_${i}_${Date.now()}@example.test`,
          password: `Concurrent writer number ${i}`,
        }),
      ),
      ...existing.flatMap((user) => [
        sut.http.post('/api/v1/auth/login').send({ username: user.username, password: user.password }),
        sut.http.post('/api/v1/auth/login').send({ username: user.username, password: user.password }),
      ]),
      ...Array.from({ length: 6 }, (_, i) =>
        sut.http.post('/api/v1/auth/login').send({ username: `nobody_${i}`, password: 'wrong password' }),
      ),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual(
      [...Array(12).fill(201), ...Array(12).fill(200), ...Array(6).fill(401)].sort(),
    );

    const rows = await storedAuditRows(sut.databaseUrl);
    const sequences = rows.map((row) => Number(row.sequence)).reverse();
    expect(sequences).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].previous_hash).toBe(rows[i].hash);
    expect(await verify()).toEqual({ ok: true, checked: rows.length, last_sequence: rows.length });
  });

  it('should hash in PostgreSQL exactly the text it verifies in Node, whatever the characters', async () => {
    const audit = sut.app.get(AuditService);
    const awkward = [
      'quote " and \\ backslash',
      'naïve café 日本 🦀',
      'lone \uD800 surrogate',
      'nul \u0000 tab \t',
    ];
    // Lone events share one append; the ones inside a transaction append one by one.
    await Promise.all(
      awkward.map((text, i) =>
        audit.record({
          action: `test.awkward.${i}`,
          outcome: 'success',
          actor: { type: 'user', id: text },
          target: { type: 'note', id: text },
          details: { text, nested: { list: [text, null, 1.5], 'key "quoted"': true } },
        }),
      ),
    );
    await sut.app.get(DataSource).transaction(async (manager) => {
      for (const text of awkward)
        await audit.record(
          { action: 'test.awkward.tx', outcome: 'failure', actor: { type: 'system' }, details: { text } },
          manager,
        );
    });

    const stored = await queryDatabase<{ actor_id: string | null }>(
      sut.databaseUrl,
      `SELECT actor_id FROM audit_events WHERE action LIKE 'test.awkward.%' AND actor_type = 'user'`,
    );
    expect(stored.map((row) => row.actor_id).sort()).toEqual(
      ['quote " and \\ backslash', 'naïve café 日本 🦀', 'lone \uFFFD surrogate', 'nul \uFFFD tab \t'].sort(),
    );
    expect((await verify()).ok).toBe(true);
  });

  it('should append only while it holds AUDIT_CHAIN_LOCK, the lock other chain writers take', async () => {
    const holder = new pg.Client({ connectionString: sut.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      let appended = false;
      const append = sut.app
        .get(AuditService)
        .record({ action: 'test.chain.lock', outcome: 'success', actor: { type: 'system' } })
        .then(() => (appended = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(appended).toBe(false);
      await holder.query('COMMIT');
      await append;
      expect(appended).toBe(true);
    } finally {
      await holder.end();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('should refuse UPDATE, DELETE and TRUNCATE of audit events, even with the retention setting for UPDATE', async () => {
    const [row] = await storedAuditRows(sut.databaseUrl);
    await expect(
      queryDatabase(sut.databaseUrl, `UPDATE audit_events SET action = 'user.nothing' WHERE id = $1`, [
        row.id,
      ]),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(
      queryDatabase(sut.databaseUrl, `DELETE FROM audit_events WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/append-only: DELETE refused/);
    await expect(queryDatabase(sut.databaseUrl, `TRUNCATE audit_events`)).rejects.toThrow(
      /append-only: TRUNCATE refused/,
    );
    await expect(
      queryDatabase(
        sut.databaseUrl,
        `BEGIN; SET LOCAL portcullis.audit_retention = 'on'; UPDATE audit_events SET action = 'x'; COMMIT;`,
      ),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    expect((await storedAuditRows(sut.databaseUrl))[0]).toEqual(row);
  });

  it('should name exactly the event whose content was changed behind its back', async () => {
    const rows = await storedAuditRows(sut.databaseUrl);
    const victim = rows[Math.floor(rows.length / 2)];
    const original = await eventRow(victim.id);
    await tamper(sut.databaseUrl, [
      [`UPDATE audit_events SET details = '{"scope": "all"}' WHERE id = $1`, [victim.id]],
    ]);

    expect(await verify()).toEqual({
      ok: false,
      checked: rows.length - Math.floor(rows.length / 2),
      first_broken: { sequence: Number(victim.sequence), id: victim.id, reason: 'hash_mismatch' },
    });

    await tamper(sut.databaseUrl, [
      [`DELETE FROM audit_events WHERE id = $1`, [victim.id]],
      [
        `INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, $1::json)`,
        [original],
      ],
    ]);
    expect((await verify()).ok).toBe(true);
  });

  it('should name the event after one that was rewritten with a fresh hash, or removed', async () => {
    const rows = await storedAuditRows(sut.databaseUrl);
    const victim = rows[3];
    const next = rows[2];
    const original = await eventRow(victim.id);
    const [stored] = await queryDatabase<Record<string, unknown>>(
      sut.databaseUrl,
      `SELECT sequence, occurred_at AS "occurredAt", action, outcome, actor_type AS "actorType", actor_id AS "actorId",
              target_type AS "targetType", target_id AS "targetId", ip, user_agent AS "userAgent",
              request_id AS "requestId", details, previous_hash AS "previousHash"
         FROM audit_events WHERE id = $1`,
      [victim.id],
    );
    const forged = { ...stored, ip: '203.0.113.9' } as unknown as Parameters<typeof computeAuditHash>[0];
    await tamper(sut.databaseUrl, [
      [
        `UPDATE audit_events SET ip = '203.0.113.9', hash = $2 WHERE id = $1`,
        [victim.id, computeAuditHash(forged, stored.previousHash as string)],
      ],
    ]);
    const expected = { sequence: Number(next.sequence), id: next.id, reason: 'previous_hash_mismatch' };
    expect((await verify()).first_broken).toEqual(expected);

    await tamper(sut.databaseUrl, [[`DELETE FROM audit_events WHERE id = $1`, [victim.id]]]);
    expect((await verify()).first_broken).toEqual(expected);

    await tamper(sut.databaseUrl, [
      [
        `INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, $1::json)`,
        [original],
      ],
    ]);
    expect((await verify()).ok).toBe(true);
  });

  it('should let only the retention path delete, cutting a prefix that still verifies from its new anchor', async () => {
    const user = await registerUser(sut.http);
    await login(sut.http, user.username, user.password);
    const cutoff = new Date(Date.now() + 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await login(sut.http, user.username, user.password);
    const before = await storedAuditRows(sut.databaseUrl);
    const kept = before.filter((row) => row.occurred_at >= cutoff);

    const deleted = await sut.app.get(AuditRetentionService).deleteOlderThan(cutoff, 7);

    expect(deleted).toBe(before.length - kept.length);
    const after = await storedAuditRows(sut.databaseUrl);
    expect(after.slice(1).map((row) => row.id)).toEqual(kept.map((row) => row.id));
    expect(after[0]).toMatchObject({ action: 'audit.events.deleted', actor_type: 'system' });
    const anchor = after[after.length - 1];
    expect(anchor.previous_hash).not.toBeNull();
    expect(await verify()).toEqual({
      ok: true,
      checked: after.length,
      last_sequence: Number(after[0].sequence),
    });
    await expect(queryDatabase(sut.databaseUrl, `DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });

  it('should keep the newest event when every event is past retention, so the chain goes on from it', async () => {
    const deleted = await sut.app
      .get(AuditRetentionService)
      .deleteOlderThan(new Date(Date.now() + 60_000), 1_000);
    expect(deleted).toBeGreaterThan(0);
    const rows = await storedAuditRows(sut.databaseUrl);
    expect(rows.map((row) => row.action)).toEqual(['audit.events.deleted', expect.any(String)]);
    expect(Number(rows[0].sequence)).toBe(Number(rows[1].sequence) + 1);
    expect(await verify()).toMatchObject({ ok: true, checked: 2 });
  });

  it('should answer 400 for a query parameter it does not take', async () => {
    const response = await sut.http
      .get(AUDIT_VERIFY)
      .query({ from: '2025-01-01T00:00:00Z' })
      .set(...bearer(admin));
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(
      expect.objectContaining({ field: 'from', code: 'unknown_field' }),
    );
  });

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without admin:audit:read', async () => {
    expect((await sut.http.get(AUDIT_VERIFY)).status).toBe(401);
    const user = await registerUser(sut.http);
    const forbidden = await sut.http
      .get(AUDIT_VERIFY)
      .set(...bearer(await login(sut.http, user.username, user.password)));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');
    const narrow = await adminTokens(sut.http, 'openid admin:users:read');
    expect((await sut.http.get(AUDIT_VERIFY).set(...bearer(narrow))).status).toBe(403);
  });
});
