import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

describe('admin jobs API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SESSION_RETENTION: '7d', PRUNE_BATCH_SIZE: '100' } });
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without the scope', async () => {
    expect((await sut.http.get('/api/v1/admin/jobs')).status).toBe(401);
    const user = await registerUser(sut.http);
    const userTokens = await login(sut.http, user.username, user.password);
    const forbidden = await sut.http.get('/api/v1/admin/jobs').set(...bearer(userTokens));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');

    const readOnly = await adminLogin(sut.http, 'admin:system:read');
    await sut.http
      .get('/api/v1/admin/jobs')
      .set(...bearer(readOnly))
      .expect(200);
    for (const action of ['run', 'pause', 'resume']) {
      const response = await sut.http
        .post(`/api/v1/admin/jobs/session-prune/${action}`)
        .set(...bearer(readOnly));
      expect(response.status, action).toBe(403);
    }
    const sessionsRead = await sut.http.get('/api/v1/admin/sessions/stats').set(...bearer(readOnly));
    expect(sessionsRead.status).toBe(403);
  });

  it('should list each job with its schedule, pause state and next run', async () => {
    const response = await sut.http.get('/api/v1/admin/jobs').set(...bearer(admin));
    expect(response.status).toBe(200);
    const names = response.body.items.map((job: { name: string }) => job.name);
    expect(names).toEqual(expect.arrayContaining(['key-rotation', 'session-prune']));
    const prune = response.body.items.find((job: { name: string }) => job.name === 'session-prune');
    expect(prune).toMatchObject({ schedule: '*/15 * * * *', paused: false });
    expect(new Date(prune.next_run_at).getTime()).toBeGreaterThan(Date.now());
  });

  it('should answer 404 JOB_NOT_FOUND for an unknown job', async () => {
    const response = await sut.http.post('/api/v1/admin/jobs/no-such-job/run').set(...bearer(admin));
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('JOB_NOT_FOUND');
  });

  it('should prune exactly the ended sessions past retention, their tokens, expired records and counters', async () => {
    const user = await registerUser(sut.http);
    const live = await login(sut.http, user.username, user.password);
    const recent = await login(sut.http, user.username, user.password);
    const oldExpired = await login(sut.http, user.username, user.password);
    const oldRevoked = await login(sut.http, user.username, user.password);
    const oldIdle = await login(sut.http, user.username, user.password);
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET expires_at = now() - interval '1 day' WHERE id = $1`,
      [recent.session_id],
    );
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET expires_at = now() - interval '8 days' WHERE id = $1`,
      [oldExpired.session_id],
    );
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET revoked_at = now() - interval '8 days', revoke_reason = 'logout' WHERE id = $1`,
      [oldRevoked.session_id],
    );
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET idle_expires_at = now() - interval '8 days' WHERE id = $1`,
      [oldIdle.session_id],
    );
    const [{ grants }] = await queryDatabase<{ grants: string[] }>(
      sut.databaseUrl,
      `SELECT array_agg(grant_id) AS grants FROM sessions WHERE id = ANY($1::uuid[])`,
      [[oldExpired.session_id, oldRevoked.session_id, oldIdle.session_id]],
    );
    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ('AuthorizationCode', 'expired-code', '{}', now() - interval '1 minute')`,
    );
    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO login_throttles (identifier_hash, failure_count, window_started_at, updated_at) VALUES ('\\x01', 1, now() - interval '2 hours', now() - interval '2 hours')`,
    );

    const run = await sut.http.post('/api/v1/admin/jobs/session-prune/run').set(...bearer(admin));

    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      job: 'session-prune',
      trigger: 'manual',
      outcome: 'succeeded',
      error: null,
    });
    expect(run.body.counts).toMatchObject({ sessions: 3, lockout_counters: 1 });
    expect(run.body.counts.provider_records).toBeGreaterThanOrEqual(1);
    const remaining = await queryDatabase<{ id: string }>(
      sut.databaseUrl,
      `SELECT id FROM sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(remaining.map((row) => row.id).sort()).toEqual([live.session_id, recent.session_id].sort());
    expect(
      await queryDatabase(sut.databaseUrl, `SELECT 1 FROM oidc_payloads WHERE grant_id = ANY($1::text[])`, [
        grants,
      ]),
    ).toEqual([]);
    expect(
      await queryDatabase(sut.databaseUrl, `SELECT 1 FROM oidc_payloads WHERE id = 'expired-code'`),
    ).toEqual([]);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(live))
      .expect(200);
    expect(
      (await sut.http.post('/api/v1/auth/refresh').send({ refresh_token: live.refresh_token })).status,
    ).toBe(200);
    expect(
      (await auditActions(sut.databaseUrl, user.id)).filter((action) => action === 'user.login.succeeded'),
    ).toHaveLength(5);
  });

  it('should record every run and page the history newest first, by offset and by cursor', async () => {
    for (let i = 0; i < 3; i++)
      await sut.http
        .post('/api/v1/admin/jobs/key-rotation/run')
        .set(...bearer(admin))
        .expect(200);
    const first = await sut.http.get('/api/v1/admin/jobs/key-rotation/runs?limit=2').set(...bearer(admin));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ limit: 2, offset: 0, has_more: true, total: 3 });
    const second = await sut.http
      .get(`/api/v1/admin/jobs/key-rotation/runs?limit=2&cursor=${first.body.next_cursor}`)
      .set(...bearer(admin));
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    const ids = [...first.body.items, ...second.body.items].map((run: { id: string }) => run.id);
    expect(new Set(ids).size).toBe(3);
    const started = [...first.body.items, ...second.body.items].map(
      (run: { started_at: string }) => run.started_at,
    );
    expect([...started].sort().reverse()).toEqual(started);
    const list = await sut.http.get('/api/v1/admin/jobs').set(...bearer(admin));
    const rotation = list.body.items.find((job: { name: string }) => job.name === 'key-rotation');
    expect(rotation.last_run.id).toBe(first.body.items[0].id);
  });

  it('should answer 400 for a bad cursor, an out-of-range limit or an unknown parameter', async () => {
    for (const query of ['cursor=garbage', 'limit=0', 'limit=101', 'sort=evil']) {
      const response = await sut.http
        .get(`/api/v1/admin/jobs/key-rotation/runs?${query}`)
        .set(...bearer(admin));
      expect(response.status, query).toBe(400);
      expect(response.body.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('should answer 409 JOB_RUNNING while the job runs elsewhere', async () => {
    const pg = await import('pg');
    const holder = new pg.default.Client({ connectionString: sut.databaseUrl });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('portcullis.job.session-prune'))`);
      const response = await sut.http.post('/api/v1/admin/jobs/session-prune/run').set(...bearer(admin));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('JOB_RUNNING');
    } finally {
      await holder.end();
    }
  });

  it('should record a failed run with its error, and run again afterwards', async () => {
    await queryDatabase(sut.databaseUrl, `ALTER TABLE login_throttles RENAME TO login_throttles_away`);
    try {
      const failed = await sut.http.post('/api/v1/admin/jobs/session-prune/run').set(...bearer(admin));
      expect(failed.status).toBe(200);
      expect(failed.body.outcome).toBe('failed');
      expect(failed.body.error).toContain('login_throttles');
    } finally {
      await queryDatabase(sut.databaseUrl, `ALTER TABLE login_throttles_away RENAME TO login_throttles`);
    }
    const again = await sut.http.post('/api/v1/admin/jobs/session-prune/run').set(...bearer(admin));
    expect(again.body.outcome).toBe('succeeded');
  });

  it('should rotate the signing key when it is older than KEY_ROTATION_DAYS, keeping the old one published', async () => {
    const user = await registerUser(sut.http);
    const oldTokens = await login(sut.http, user.username, user.password);
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE signing_keys SET created_at = now() - interval '100 days' WHERE state = 'active'`,
    );

    const run = await sut.http.post('/api/v1/admin/jobs/key-rotation/run').set(...bearer(admin));
    expect(run.body.counts).toMatchObject({ rotated: 1, published_keys: 2 });

    const jwks = await sut.http.get('/.well-known/jwks.json');
    expect(jwks.body.keys).toHaveLength(2);
    const newTokens = await login(sut.http, user.username, user.password);
    const kid = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid as string;
    expect(kid(newTokens.access_token)).not.toBe(kid(oldTokens.access_token));
    expect(kid(newTokens.access_token)).toBe(jwks.body.keys[0].kid);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(oldTokens))
      .expect(200);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(newTokens))
      .expect(200);
  });

  it('should answer session stats with counts by state and client and the last prune', async () => {
    const response = await sut.http.get('/api/v1/admin/sessions/stats').set(...bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body.active).toBeGreaterThan(0);
    expect(response.body.active_by_client).toContainEqual(
      expect.objectContaining({ client_id: 'portcullis' }),
    );
    expect(response.body.created_per_day).toHaveLength(30);
    expect(response.body.created_per_day[29].created).toBeGreaterThan(0);
    expect(response.body.last_prune).toMatchObject({ job: 'session-prune', outcome: 'succeeded' });
    const [counts] = await queryDatabase<{ revoked: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS revoked FROM sessions WHERE revoked_at IS NOT NULL`,
    );
    expect(response.body.revoked).toBe(counts.revoked);
  });
});

describe('the audit-retention job', () => {
  it('should keep every event when AUDIT_RETENTION_DAYS is unset, and drop older ones when set', async () => {
    const off = await startTestApp();
    try {
      const admin = await adminLogin(off.http);
      const run = await off.http.post('/api/v1/admin/jobs/audit-retention/run').set(...bearer(admin));
      expect(run.body).toMatchObject({ outcome: 'succeeded', counts: { audit_events: 0 } });
    } finally {
      await off.close();
    }

    const on = await startTestApp({ databaseUrl: off.databaseUrl, env: { AUDIT_RETENTION_DAYS: '30' } });
    try {
      const user = await registerUser(on.http);
      const [{ total }] = await queryDatabase<{ total: number }>(
        on.databaseUrl,
        `SELECT count(*)::int AS total FROM audit_events`,
      );
      // Age every earlier event behind the trigger's back (only the retention path may delete).
      await queryDatabase(
        on.databaseUrl,
        `ALTER TABLE audit_events DISABLE TRIGGER USER;
         UPDATE audit_events SET occurred_at = now() - interval '40 days' WHERE actor_id IS DISTINCT FROM '${user.id}';
         ALTER TABLE audit_events ENABLE TRIGGER USER;`,
      );
      const admin = await adminLogin(on.http);
      const run = await on.http.post('/api/v1/admin/jobs/audit-retention/run').set(...bearer(admin));
      expect(run.body.outcome).toBe('succeeded');
      expect(run.body.counts.audit_events).toBeGreaterThan(0);
      expect(run.body.counts.audit_events).toBeLessThan(total);
      expect(await auditActions(on.databaseUrl, user.id)).toContain('user.registered');
    } finally {
      await on.close();
    }
  });
});
