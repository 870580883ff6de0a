import { AuditService, userActor } from '@portcullis/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';
import { seedAuditEvents } from '../../bench/audit-seed.js';
import { AUDIT_LIST, adminTokens, storedAuditRows } from './audit-test-helpers.js';

interface Item {
  id: string;
  sequence: number;
  occurred_at: string;
  action: string;
  outcome: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
  request_id: string | null;
}

describe('GET /api/v1/admin/audit', () => {
  let sut: TestApp;
  let admin: TestTokens;
  let alice: TestUser;
  let aliceSession: string;

  beforeAll(async () => {
    sut = await startTestApp();
    await seedAuditEvents(sut.databaseUrl, 120, { users: 5 });
    admin = await adminTokens(sut.http);
    alice = await registerUser(sut.http);
    const tokens = await sut.http
      .post('/api/v1/auth/login')
      .set('X-Request-Id', `alice-login-${alice.id}`)
      .send({ username: alice.username, password: alice.password });
    aliceSession = tokens.body.session_id;
    await sut.http
      .post('/api/v1/auth/login')
      .send({ username: alice.username, password: 'not her password' });
    await sut.http.post('/api/v1/auth/logout').set(...bearer(tokens.body));
    await sut.app.get(AuditService).record({
      action: 'user%wild_card',
      outcome: 'success',
      actor: userActor(alice.id),
      target: { type: 'user', id: alice.id },
    });
  });
  afterAll(() => sut.close());

  async function list(query: Record<string, string | number>) {
    return sut.http
      .get(AUDIT_LIST)
      .query(query)
      .set(...bearer(admin));
  }

  async function walk(query: Record<string, string | number>, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      const response = await list({ ...query, limit, ...(cursor ? { cursor } : {}) });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...response.body.items);
      cursor = response.body.next_cursor ?? undefined;
      expect(response.body.has_more).toBe(cursor !== undefined);
      if (!cursor) return items;
    }
    throw new Error('paging did not end');
  }

  it('should answer the newest events first as snake_case items in the list shape, without total', async () => {
    const response = await list({});
    expect(response.status).toBe(200);
    const rows = await storedAuditRows(sut.databaseUrl);
    expect(response.body).toMatchObject({
      limit: 20,
      offset: 0,
      has_more: true,
      next_cursor: expect.any(String),
    });
    expect(response.body).not.toHaveProperty('total');
    expect(response.body.items.map((item: Item) => item.id)).toEqual(rows.slice(0, 20).map((row) => row.id));
    const logout = response.body.items.find((item: Item) => item.action === 'user.logout');
    expect(Object.keys(logout).sort()).toEqual(
      [
        'action',
        'actor',
        'details',
        'hash',
        'id',
        'ip',
        'occurred_at',
        'outcome',
        'previous_hash',
        'request_id',
        'sequence',
        'target',
        'user_agent',
      ].sort(),
    );
    expect(logout).toMatchObject({
      outcome: 'success',
      actor: { type: 'user', id: alice.id },
      target: { type: 'session', id: aliceSession },
      occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('should walk every event exactly once, page after page, by cursor in either order', async () => {
    const rows = await storedAuditRows(sut.databaseUrl);
    const newestFirst = await walk({}, 7);
    expect(newestFirst.map((item) => item.id)).toEqual(rows.map((row) => row.id));
    const oldestFirst = await walk({ order: 'asc' }, 9);
    expect(oldestFirst.map((item) => item.id)).toEqual(rows.map((row) => row.id).reverse());
  });

  it('should page by offset when no cursor is given', async () => {
    const rows = await storedAuditRows(sut.databaseUrl);
    const response = await list({ limit: 5, offset: 10 });
    expect(response.body.offset).toBe(10);
    expect(response.body.items.map((item: Item) => item.id)).toEqual(rows.slice(10, 15).map((row) => row.id));
  });

  it.each([
    ['actor', () => ({ actor: alice.id }), (row: Item) => row.actor.id === alice.id],
    ['action prefix', () => ({ action: 'user.login' }), (row: Item) => row.action.startsWith('user.login')],
    ['outcome', () => ({ outcome: 'failure' }), (row: Item) => row.outcome === 'failure'],
    ['target type', () => ({ target_type: 'user' }), (row: Item) => row.target?.type === 'user'],
    [
      'target',
      () => ({ target_type: 'session', target_id: aliceSession }),
      (row: Item) => row.target?.type === 'session' && row.target.id === aliceSession,
    ],
    [
      'request id',
      () => ({ request_id: `alice-login-${alice.id}` }),
      (row: Item) => row.request_id === `alice-login-${alice.id}`,
    ],
  ])('should keep exactly the events matching the %s filter', async (_name, query, matches) => {
    const everything = await walk({}, 100);
    const expected = everything.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everything.length);
    expect((await walk(query(), 4)).map((item) => item.id)).toEqual(expected.map((item) => item.id));
  });

  it('should combine filters and treat LIKE wildcards in the action as plain characters', async () => {
    const both = await walk({ actor: alice.id, action: 'user.login' }, 50);
    expect(both.map((item) => item.action)).toEqual(['user.login.succeeded']);
    expect((await walk({ action: 'user%' }, 50)).map((item) => item.action)).toEqual(['user%wild_card']);
    expect(await walk({ action: 'user_' }, 50)).toEqual([]);
  });

  it('should keep events from `from` (inclusive) until `to` (exclusive)', async () => {
    const everything = await walk({}, 100);
    const from = everything[90].occurred_at;
    const to = everything[30].occurred_at;
    const expected = everything.filter((item) => item.occurred_at >= from && item.occurred_at < to);
    const found = await walk({ from, to: to.replace('Z', '+00:00') }, 25);
    expect(found.map((item) => item.id)).toEqual(expected.map((item) => item.id));
    expect(found.length).toBeGreaterThan(30);
  });

  it.each([
    [{ from: 'yesterday' }, 'from', 'is_date_time'],
    [{ to: '2025-02-30T00:00:00Z' }, 'to', 'is_date_time'],
    [{ from: '2025-01-01' }, 'from', 'is_date_time'],
    [{ from: '2025-01-01T00:00:00' }, 'from', 'is_date_time'],
    [{ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'to', 'range'],
    [{ outcome: 'maybe' }, 'outcome', 'is_in'],
    [{ limit: 0 }, 'limit', 'min'],
    [{ limit: 101 }, 'limit', 'max'],
    [{ limit: 'ten' }, 'limit', 'is_int'],
    [{ cursor: 'not-a-cursor' }, 'cursor', 'invalid_cursor'],
    [{ cursor: Buffer.from('{"seq":"1 OR 1=1"}').toString('base64url') }, 'cursor', 'invalid_cursor'],
    [{ actor_id: 'x' }, 'actor_id', 'unknown_field'],
  ])('should answer 400 with the field error for %j', async (query, field, code) => {
    const response = await list(query as Record<string, string | number>);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('should answer 401 without a token, 403 INSUFFICIENT_SCOPE without admin:audit:read, and 200 with it', async () => {
    expect((await sut.http.get(AUDIT_LIST)).status).toBe(401);
    const forbidden = await sut.http
      .get(AUDIT_LIST)
      .set(...bearer(await login(sut.http, alice.username, alice.password)));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');
    const narrow = await adminTokens(sut.http, 'openid admin:users:read');
    expect((await sut.http.get(AUDIT_LIST).set(...bearer(narrow))).status).toBe(403);
    const scoped = await adminTokens(sut.http, 'admin:audit:read');
    expect((await sut.http.get(AUDIT_LIST).set(...bearer(scoped))).status).toBe(200);
  });
});
