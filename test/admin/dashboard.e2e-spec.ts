import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';
import { basicAuth } from '../oauth/support/clients.js';

const STATS = '/api/v1/admin/dashboard/stats';

describe('admin dashboard API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp({ env: { LOCKOUT_THRESHOLD: '3' } });
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should count a known seeded state', async () => {
    // Runs first: the database holds the bootstrap admin and its one sign-in (beforeAll).
    const ours = await adminLogin(sut.http, 'openid admin:system:read admin:clients:write');

    const [alice, bob, carol] = [
      await registerUser(sut.http),
      await registerUser(sut.http),
      await registerUser(sut.http),
    ];
    await login(sut.http, alice.username, alice.password);
    await login(sut.http, bob.username, bob.password);
    // Carol locks herself out (threshold 3): two failures, then the one that locks.
    for (let attempt = 0; attempt < 3; attempt++) {
      await sut.http
        .post('/api/v1/auth/login')
        .send({ username: carol.username, password: 'Wrong password 123' });
    }
    await sut.http
      .post('/api/v1/auth/login')
      .send({ username: 'nobody-at-all', password: 'Wrong password 123' });
    // Old users, an inactive one and a verified one.
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE users SET created_at = now() - interval '10 days' WHERE id = $1`,
      [bob.id],
    );
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE users SET created_at = now() - interval '40 days' WHERE id = $1`,
      [alice.id],
    );
    await queryDatabase(sut.databaseUrl, `UPDATE users SET is_active = false WHERE id = $1`, [bob.id]);
    await queryDatabase(sut.databaseUrl, `UPDATE users SET email_verified = true WHERE username = 'admin'`);
    // One client, made through the admin API, that gets a token; one inactive client.
    const client = await sut.http
      .post('/api/v1/admin/clients')
      .set(...bearer(ours))
      .send({
        client_id: 'dash-machine',
        name: 'M',
        type: 'confidential',
        grant_types: ['client_credentials'],
      })
      .expect(201);
    await sut.http
      .post('/api/v1/admin/clients')
      .set(...bearer(ours))
      .send({
        client_id: 'dash-off',
        name: 'Off',
        type: 'public',
        is_active: false,
        redirect_uris: ['https://x.example/cb'],
      })
      .expect(201);
    await sut.http
      .post('/api/v1/oauth/token')
      .set('Authorization', basicAuth({ clientId: 'dash-machine', clientSecret: client.body.client_secret }))
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);

    const response = await sut.http
      .get(STATS)
      .set(...bearer(ours))
      .expect(200);
    const adminCreated = (
      await queryDatabase(
        sut.databaseUrl,
        `SELECT created_at > now() - interval '24 hours' AS fresh FROM users WHERE username = 'admin'`,
      )
    )[0].fresh as boolean;
    const recentAdmin = adminCreated ? 1 : 0;
    expect(response.body).toMatchObject({
      users: {
        total: 4,
        active: 3,
        locked: 1,
        unverified: 3,
        admins: 1,
        new_24h: 1 + recentAdmin,
        new_7d: 1 + recentAdmin,
        new_30d: 2 + recentAdmin,
      },
      // The admin's two, alice's and bob's (bob is inactive now, but his session was not ended).
      sessions: { active: 4, created_24h: 4 },
      // The admin twice, alice, bob; carol's two failures and her lockout, and the unknown user.
      logins_24h: { succeeded: 4, failed: 4, lockouts: 1 },
      clients: { total: 2, active: 1 },
      tokens_24h: { issued: 1, refreshed: 0 },
    });
    expect(new Date(response.body.generated_at).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('should count a user locked through both its username and its e-mail once', async () => {
    const lockedNow = async () =>
      (await sut.http.get(STATS).set(...bearer(admin))).body.users.locked as number;
    const before = await lockedNow();
    const dave = await registerUser(sut.http);
    for (const identifier of [dave.username, dave.email]) {
      for (let attempt = 0; attempt < 3; attempt++) {
        await sut.http
          .post('/api/v1/auth/login')
          .send({ username: identifier, password: 'Wrong password 123' });
      }
    }
    const rows = await queryDatabase<{ count: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS count FROM login_throttles WHERE user_id = $1 AND locked_until > now()`,
      [dave.id],
    );
    expect(rows[0].count).toBe(2);
    expect(await lockedNow()).toBe(before + 1);
  });

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without admin:system:read', async () => {
    expect((await sut.http.get(STATS)).status).toBe(401);
    const user = await registerUser(sut.http);
    const plain = await login(sut.http, user.username, user.password);
    for (const tokens of [plain, await adminLogin(sut.http, 'openid admin:users:read')]) {
      const response = await sut.http.get(STATS).set(...bearer(tokens));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
    }
    const unknown = await sut.http
      .get(STATS)
      .query({ window: '7d' })
      .set(...bearer(admin));
    expect(unknown.status).toBe(400);
  });

  it('should count recent events of an action through the (action, occurred_at) index', async () => {
    const client = new pg.Client({ connectionString: sut.databaseUrl });
    await client.connect();
    try {
      // Tiny tables favour a sequential scan; without it the planner shows which index serves the query.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(
        `EXPLAIN SELECT action, count(*) FROM audit_events
          WHERE action = ANY($1) AND occurred_at >= now() - interval '24 hours' GROUP BY action`,
        [['user.login.succeeded', 'user.login.failed']],
      );
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('ix_audit_events_action_occurred_at');
    } finally {
      await client.end();
    }
  });
});
