import { AuditAction, AuditService, userActor } from '@portcullis/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';
import { MY_ACTIVITY, adminTokens } from './audit-test-helpers.js';

interface ActivityItem {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string | null } | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

describe('GET /api/v1/auth/me/activity', () => {
  let sut: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let current: TestTokens;
  let ended: TestTokens;
  let adminId: string;

  beforeAll(async () => {
    sut = await startTestApp();
    alice = await registerUser(sut.http);
    bob = await registerUser(sut.http);
    ended = await login(sut.http, alice.username, alice.password);
    current = await login(sut.http, alice.username, alice.password);
    await sut.http
      .post('/api/v1/auth/login')
      .send({ username: alice.username, password: 'a wrong password' });
    await sut.http
      .patch('/api/v1/auth/me')
      .set(...bearer(current))
      .send({ name: 'Alice' })
      .expect(200);
    await sut.http
      .delete(`/api/v1/auth/sessions/${ended.session_id}`)
      .set(...bearer(current))
      .expect(204);
    const bobTokens = await login(sut.http, bob.username, bob.password);
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(bobTokens))
      .expect(204);

    const admin = await adminTokens(sut.http);
    adminId = (await sut.http.get('/api/v1/auth/me').set(...bearer(admin))).body.id;
    const audit = sut.app.get(AuditService);
    // An admin's act on Alice, and one of Alice's own that is not security history.
    await audit.record({
      action: AuditAction.PROFILE_UPDATED,
      outcome: 'success',
      actor: userActor(adminId),
      target: { type: 'user', id: alice.id },
      details: { changes: { email_verified: true } },
    });
    await audit.record({
      action: 'user.preferences.updated',
      outcome: 'success',
      actor: userActor(alice.id),
    });
  });
  afterAll(() => sut.close());

  async function activity(tokens: TestTokens, query: Record<string, string | number> = {}) {
    return sut.http
      .get(MY_ACTIVITY)
      .query(query)
      .set(...bearer(tokens));
  }

  it("should list only the caller's security events, newest first", async () => {
    const response = await activity(current);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ limit: 20, offset: 0, has_more: false, next_cursor: null });
    expect(response.body.items.map((item: ActivityItem) => item.action)).toEqual([
      'user.profile.updated',
      'session.revoked',
      'user.profile.updated',
      'user.login.succeeded',
      'user.login.succeeded',
      'user.registered',
    ]);
    const serialised = JSON.stringify(response.body);
    expect(serialised).not.toContain(bob.id);
    expect(serialised).not.toContain(adminId);
  });

  it('should show its own acts in full and, of what others did to it, only what and when', async () => {
    const [byAdmin, revoked, ...rest] = (await activity(current)).body.items as ActivityItem[];
    expect(byAdmin).toMatchObject({
      actor: { type: 'user', id: null },
      target: { type: 'user', id: alice.id },
      ip: null,
      user_agent: null,
      request_id: null,
      details: {},
    });
    expect(revoked).toMatchObject({
      actor: { type: 'user', id: alice.id },
      target: { type: 'session', id: ended.session_id },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(rest[0].details).toEqual({ changes: { name: 'Alice' } });
    expect(Object.keys(revoked).sort()).toEqual(
      [
        'action',
        'actor',
        'details',
        'id',
        'ip',
        'occurred_at',
        'outcome',
        'request_id',
        'target',
        'user_agent',
      ].sort(),
    );
  });

  it('should page by cursor without repeating or skipping an event', async () => {
    const all = (await activity(current)).body.items.map((item: ActivityItem) => item.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await activity(current, { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...response.body.items.map((item: ActivityItem) => item.id));
      cursor = response.body.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("should show another user only that user's own history", async () => {
    const response = await activity(await login(sut.http, bob.username, bob.password));
    expect(response.body.items.map((item: ActivityItem) => item.action)).toEqual([
      'user.login.succeeded',
      'user.logout',
      'user.login.succeeded',
      'user.registered',
    ]);
    expect(JSON.stringify(response.body)).not.toContain(alice.id);
  });

  it.each([
    [{ offset: 5 }, 'offset', 'unknown_field'],
    [{ limit: 500 }, 'limit', 'max'],
    [{ cursor: '%%%' }, 'cursor', 'invalid_cursor'],
  ])('should answer 400 for %j', async (query, field, code) => {
    const response = await activity(current, query);
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('should answer 401 without a token', async () => {
    const response = await sut.http.get(MY_ACTIVITY);
    expect(response.status).toBe(401);
  });
});
