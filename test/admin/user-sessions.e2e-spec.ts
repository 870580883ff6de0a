import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

const USERS = '/api/v1/admin/users';

describe("admin API for a user's sessions", () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should list live sessions by default, every session with include_inactive, paged both ways', async () => {
    const user = await registerUser(sut.http);
    const sessions: TestTokens[] = [];
    for (let index = 0; index < 5; index++)
      sessions.push(await login(sut.http, user.username, user.password));
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(sessions[0]))
      .expect(204);

    const live = await sut.http.get(`${USERS}/${user.id}/sessions`).set(...bearer(admin));
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ total: 4, has_more: false });
    expect(live.body.items.every((item: { status: string }) => item.status === 'active')).toBe(true);
    expect(live.body.items[0].id).toBe(sessions[4].session_id);

    const all = await sut.http
      .get(`${USERS}/${user.id}/sessions?include_inactive=true`)
      .set(...bearer(admin));
    expect(all.body.total).toBe(5);
    const revoked = all.body.items.find((item: { id: string }) => item.id === sessions[0].session_id);
    expect(revoked).toMatchObject({ status: 'revoked', revoke_reason: 'logout' });

    const byOffset = [0, 2, 4].map((offset) =>
      sut.http
        .get(`${USERS}/${user.id}/sessions?include_inactive=true&limit=2&offset=${offset}`)
        .set(...bearer(admin)),
    );
    const offsetIds = (await Promise.all(byOffset)).flatMap((page) =>
      page.body.items.map((item: { id: string }) => item.id),
    );
    const cursorIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; next_cursor: string | null } } = await sut.http
        .get(`${USERS}/${user.id}/sessions?include_inactive=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(...bearer(admin));
      cursorIds.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(cursorIds).toEqual(offsetIds);
    expect(new Set(cursorIds).size).toBe(5);

    const oldestFirst = await sut.http
      .get(`${USERS}/${user.id}/sessions?include_inactive=true&order=asc&limit=100`)
      .set(...bearer(admin));
    expect(oldestFirst.body.items.map((item: { id: string }) => item.id)).toEqual([...offsetIds].reverse());

    const forged = Buffer.from(JSON.stringify({ created_at: 'yesterday', id: 'x' })).toString('base64url');
    const tampered = await sut.http
      .get(`${USERS}/${user.id}/sessions?cursor=${forged}`)
      .set(...bearer(admin));
    expect(tampered.status).toBe(400);
    expect(tampered.body.errors[0].field).toBe('cursor');
    const bad = await sut.http
      .get(`${USERS}/${user.id}/sessions?include_inactive=maybe`)
      .set(...bearer(admin));
    expect(bad.status).toBe(400);
    const missing = await sut.http
      .get(`${USERS}/00000000-0000-4000-8000-000000000000/sessions`)
      .set(...bearer(admin));
    expect(missing.body.code).toBe('USER_NOT_FOUND');
  });

  it('should end one session, and answer 404 SESSION_NOT_FOUND for a session of another user', async () => {
    const [owner, stranger] = [await registerUser(sut.http), await registerUser(sut.http)];
    const ownerTokens = await login(sut.http, owner.username, owner.password);
    const strangerTokens = await login(sut.http, stranger.username, stranger.password);

    const wrongOwner = await sut.http
      .delete(`${USERS}/${owner.id}/sessions/${strangerTokens.session_id}`)
      .set(...bearer(admin));
    expect(wrongOwner.status).toBe(404);
    expect(wrongOwner.body.code).toBe('SESSION_NOT_FOUND');
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(strangerTokens))
      .expect(200);

    const badId = await sut.http.delete(`${USERS}/${owner.id}/sessions/nope`).set(...bearer(admin));
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('sessionId');

    await sut.http
      .delete(`${USERS}/${owner.id}/sessions/${ownerTokens.session_id}`)
      .set(...bearer(admin))
      .expect(204);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(ownerTokens))).status).toBe(401);
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.user.session_revoked' AND target_id = $1`,
      [ownerTokens.session_id],
    );
    expect(event.details).toEqual({ user_id: owner.id });
  });

  it('should end every live session of a user and answer how many', async () => {
    const user = await registerUser(sut.http);
    const first = await login(sut.http, user.username, user.password);
    await login(sut.http, user.username, user.password);
    const response = await sut.http.delete(`${USERS}/${user.id}/sessions`).set(...bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ revoked_count: 2 });
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(first))).status).toBe(401);
    const again = await sut.http.delete(`${USERS}/${user.id}/sessions`).set(...bearer(admin));
    expect(again.body).toEqual({ revoked_count: 0 });
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.user.sessions_revoked' AND target_id = $1 ORDER BY sequence LIMIT 1`,
      [user.id],
    );
    expect(event.details).toEqual({ revoked_count: 2 });
  });
});
