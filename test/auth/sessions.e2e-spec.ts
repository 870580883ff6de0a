import { SessionsService } from '@portcullis/sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

describe('refresh, logout and sessions', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  async function refresh(refreshToken: string) {
    return sut.http.post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });
  }

  it('should rotate the refresh token on every use and keep the same session', async () => {
    const user = await registerUser(sut.http);
    const first = await login(sut.http, user.username, user.password);

    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.session_id).toBe(first.session_id);
    expect(second.body.scope).toBe(first.scope);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(second.body))
      .expect(200);

    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
  });

  it('should end that session and its token family, and only it, when a rotated refresh token is presented again', async () => {
    const user = await registerUser(sut.http);
    const other = await login(sut.http, user.username, user.password);
    const first = await login(sut.http, user.username, user.password);
    const rotated = (await refresh(first.refresh_token)).body as TestTokens;

    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(rotated))).status).toBe(401);
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(other))
      .expect(200);
    expect((await refresh(other.refresh_token)).status).toBe(200);
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('token.refresh.reused');
    const [session] = await queryDatabase<{ revoke_reason: string }>(
      sut.databaseUrl,
      'SELECT revoke_reason FROM sessions WHERE id = $1',
      [first.session_id],
    );
    expect(session.revoke_reason).toBe('refresh_token_reuse');
  });

  it('should let exactly one of 20 parallel refreshes of one token succeed', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(tokens.refresh_token)));
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(19);
  });

  it('should answer 401 INVALID_REFRESH_TOKEN for an unknown refresh token', async () => {
    const response = await refresh('this-is-not-a-refresh-token');
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('should stop the access token and the refresh token at once on logout', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(200);

    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(tokens))
      .expect(204);

    const after = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_ENDED');
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('user.logout');
  });

  it('should answer 401 SESSION_ENDED on /auth/me once the session expires or the user is disabled', async () => {
    const user = await registerUser(sut.http);
    const expiring = await login(sut.http, user.username, user.password);
    const disabled = await login(sut.http, user.username, user.password);
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring.session_id],
    );
    const expired = await sut.http.get('/api/v1/auth/me').set(...bearer(expiring));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('SESSION_ENDED');

    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(disabled))
      .expect(200);
    await queryDatabase(sut.databaseUrl, 'UPDATE users SET is_active = false WHERE id = $1', [user.id]);
    const inactive = await sut.http.get('/api/v1/auth/me').set(...bearer(disabled));
    expect(inactive.status).toBe(401);
    expect(inactive.body.code).toBe('SESSION_ENDED');
  });

  it('should list only live sessions of the caller, the current one marked', async () => {
    const user = await registerUser(sut.http);
    const stranger = await registerUser(sut.http);
    const first = await login(sut.http, user.username, user.password);
    const second = await login(sut.http, user.username, user.password);
    const ended = await login(sut.http, user.username, user.password);
    await login(sut.http, stranger.username, stranger.password);
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(ended))
      .expect(204);

    const response = await sut.http
      .get('/api/v1/auth/sessions')
      .set(...bearer(second))
      .set('User-Agent', 'test-agent');
    expect(response.status).toBe(200);
    const ids = response.body.items.map((session: { id: string }) => session.id).sort();
    expect(ids).toEqual([first.session_id, second.session_id].sort());
    const current = response.body.items.find((session: { current: boolean }) => session.current);
    expect(current).toMatchObject({ id: second.session_id, status: 'active', client_id: 'portcullis' });
  });

  it('should end one of the caller sessions, and answer 404 for another user session', async () => {
    const user = await registerUser(sut.http);
    const stranger = await registerUser(sut.http);
    const mine = await login(sut.http, user.username, user.password);
    const phone = await login(sut.http, user.username, user.password);
    const theirs = await login(sut.http, stranger.username, stranger.password);

    await sut.http
      .delete(`/api/v1/auth/sessions/${phone.session_id}`)
      .set(...bearer(mine))
      .expect(204);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(phone))).status).toBe(401);

    const foreign = await sut.http.delete(`/api/v1/auth/sessions/${theirs.session_id}`).set(...bearer(mine));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('SESSION_NOT_FOUND');
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(theirs))
      .expect(200);

    const malformed = await sut.http.delete('/api/v1/auth/sessions/not-a-uuid').set(...bearer(mine));
    expect(malformed.status).toBe(400);
  });

  it('should change the password, end every other session, keep this one, and audit it', async () => {
    const user = await registerUser(sut.http);
    const current = await login(sut.http, user.username, user.password);
    const other = await login(sut.http, user.username, user.password);
    const newPassword = 'a brand new long passphrase';

    await sut.http
      .post('/api/v1/auth/change-password')
      .set(...bearer(current))
      .send({ current_password: user.password, new_password: newPassword })
      .expect(204);

    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(current))
      .expect(200);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(other))).status).toBe(401);
    expect(
      (await sut.http.post('/api/v1/auth/login').send({ username: user.username, password: user.password }))
        .status,
    ).toBe(401);
    await login(sut.http, user.username, newPassword);
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('user.password.changed');
  });

  it('should refuse a wrong current password and a weak new one, changing nothing', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const wrong = await sut.http
      .post('/api/v1/auth/change-password')
      .set(...bearer(tokens))
      .send({ current_password: 'not my password at all', new_password: 'a brand new long passphrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('CURRENT_PASSWORD_INCORRECT');

    const weak = await sut.http
      .post('/api/v1/auth/change-password')
      .set(...bearer(tokens))
      .send({ current_password: user.password, new_password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_POLICY_VIOLATION');
    await login(sut.http, user.username, user.password);
  });

  it('should allow only me, change-password and logout while a password change is required', async () => {
    const user = await registerUser(sut.http);
    await queryDatabase(sut.databaseUrl, 'UPDATE users SET requires_password_change = true WHERE id = $1', [
      user.id,
    ]);
    const tokens = await login(sut.http, user.username, user.password);
    expect(tokens.password_change_required).toBe(true);

    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(200);
    const blocked = await sut.http.get('/api/v1/auth/sessions').set(...bearer(tokens));
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (
        await sut.http
          .patch('/api/v1/auth/me')
          .set(...bearer(tokens))
          .send({ nickname: 'x' })
      ).status,
    ).toBe(403);

    await sut.http
      .post('/api/v1/auth/change-password')
      .set(...bearer(tokens))
      .send({ current_password: user.password, new_password: 'my own new passphrase' })
      .expect(204);
    await sut.http
      .get('/api/v1/auth/sessions')
      .set(...bearer(tokens))
      .expect(200);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(tokens))).body.requires_password_change).toBe(
      false,
    );
  });

  it('should fail at once when the session expired or went idle, before the token does', async () => {
    const user = await registerUser(sut.http);
    const expired = await login(sut.http, user.username, user.password);
    const idle = await login(sut.http, user.username, user.password);
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expired.session_id],
    );
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1`,
      [idle.session_id],
    );
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(expired))).status).toBe(401);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(idle))).status).toBe(401);
    expect((await refresh(idle.refresh_token)).status).toBe(401);
  });

  it('should answer each of many concurrent requests for its own session, live or not', async () => {
    // Checks that arrive together share one statement; each must still get its own answer.
    const live = await Promise.all([1, 2, 3].map(() => registerUser(sut.http)));
    const liveTokens = await Promise.all(live.map((user) => login(sut.http, user.username, user.password)));
    const ended = await registerUser(sut.http);
    const endedTokens = await login(sut.http, ended.username, ended.password);
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(endedTokens))
      .expect(204);
    const disabled = await registerUser(sut.http);
    const disabledTokens = await login(sut.http, disabled.username, disabled.password);
    await queryDatabase(sut.databaseUrl, 'UPDATE users SET is_active = false WHERE id = $1', [disabled.id]);

    // Asked in one turn, so certainly one statement: each key gets its own row.
    const sessions = sut.app.get(SessionsService);
    const direct = await Promise.all([
      ...live.map((user, index) =>
        sessions.checkAccess(liveTokens[index].session_id, user.id, {
          token: liveTokens[index].access_token,
          withUser: true,
        }),
      ),
      sessions.checkAccess(endedTokens.session_id, ended.id, {
        token: endedTokens.access_token,
        withUser: true,
      }),
      sessions.checkAccess(liveTokens[0].session_id, live[1].id, { withUser: true }),
    ]);
    expect(direct.map((access) => access?.user.id ?? null)).toEqual([
      ...live.map((user) => user.id),
      null,
      null,
    ]);
    expect(direct.slice(0, 3).every((access) => access?.tokenValid)).toBe(true);

    const asked = Array.from({ length: 8 }, () => [
      ...live.map((user, index) => ({ tokens: liveTokens[index], status: 200, userId: user.id })),
      { tokens: endedTokens, status: 401, userId: ended.id },
      { tokens: disabledTokens, status: 401, userId: disabled.id },
    ]).flat();
    const answers = await Promise.all(
      asked.map(({ tokens }) => sut.http.get('/api/v1/auth/me').set(...bearer(tokens))),
    );
    answers.forEach((answer, index) => {
      expect(answer.status).toBe(asked[index].status);
      if (answer.status === 200) expect(answer.body.id).toBe(asked[index].userId);
      else expect(answer.body.code).toBe('SESSION_ENDED');
    });
  });
});

describe('sessions across a restart and across nodes', () => {
  it('should keep a session working after the app restarts on the same database', async () => {
    const first = await startTestApp();
    const user = await registerUser(first.http);
    const tokens = await login(first.http, user.username, user.password);
    await first.close();

    const second = await startTestApp({ databaseUrl: first.databaseUrl });
    try {
      await second.http
        .get('/api/v1/auth/me')
        .set(...bearer(tokens))
        .expect(200);
      const refreshed = await second.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: tokens.refresh_token });
      expect(refreshed.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('should end on every node at once when ended on one', async () => {
    const nodeA = await startTestApp();
    const nodeB = await startTestApp({ databaseUrl: nodeA.databaseUrl });
    try {
      const user = await registerUser(nodeA.http);
      const tokens = await login(nodeA.http, user.username, user.password);
      await nodeB.http
        .get('/api/v1/auth/me')
        .set(...bearer(tokens))
        .expect(200);
      await nodeA.http
        .post('/api/v1/auth/logout')
        .set(...bearer(tokens))
        .expect(204);
      expect((await nodeB.http.get('/api/v1/auth/me').set(...bearer(tokens))).status).toBe(401);
    } finally {
      await nodeA.close();
      await nodeB.close();
    }
  });
});

describe('refresh under concurrency', () => {
  it('should serve more concurrent refreshes of different sessions than the pool has connections', async () => {
    const sut = await startTestApp({ env: { DATABASE_POOL_SIZE: '3' } });
    try {
      const user = await registerUser(sut.http);
      const sessions = await Promise.all(
        Array.from({ length: 12 }, () => login(sut.http, user.username, user.password)),
      );
      const answers = await Promise.all(
        sessions.map((tokens) =>
          sut.http.post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token }),
        ),
      );
      expect(answers.map((response) => response.status)).toEqual(Array(12).fill(200));
    } finally {
      await sut.close();
    }
  }, 30_000);
});
