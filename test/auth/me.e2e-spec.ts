import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTwoNodes, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser } from '../helpers/users.js';

/**
 * GET /auth/me keeps a copy of the caller's profile per process and re-reads it whenever the
 * row's version changed: whoever changed it, by whatever path, the next answer shows it.
 */
describe('GET /api/v1/auth/me', () => {
  let sut: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    [sut, other] = await startTwoNodes();
  });
  afterAll(async () => {
    await Promise.all([sut?.close(), other?.close()]);
  });

  async function signedIn() {
    const user = await registerUser(sut.http);
    return { user, authorization: bearer(await login(sut.http, user.username, user.password)) };
  }

  it('should answer a change written outside the API at once', async () => {
    const { user, authorization } = await signedIn();
    expect((await sut.http.get('/api/v1/auth/me').set(...authorization)).body.name).toBeNull();

    await queryDatabase(sut.databaseUrl, `UPDATE users SET name = 'Written by SQL' WHERE id = $1`, [user.id]);
    const after = await sut.http
      .get('/api/v1/auth/me')
      .set(...authorization)
      .expect(200);
    expect(after.body.name).toBe('Written by SQL');
  });

  it('should answer a change made through another node at once', async () => {
    const { authorization } = await signedIn();
    await sut.http
      .get('/api/v1/auth/me')
      .set(...authorization)
      .expect(200);
    await other.http
      .patch('/api/v1/auth/me')
      .set(...authorization)
      .send({ nickname: 'elsewhere' })
      .expect(200);
    expect((await sut.http.get('/api/v1/auth/me').set(...authorization)).body.nickname).toBe('elsewhere');
  });

  it('should answer the roles as they are now', async () => {
    const { user, authorization } = await signedIn();
    expect((await sut.http.get('/api/v1/auth/me').set(...authorization)).body.roles).toEqual(['user']);

    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = 'admin'`,
      [user.id],
    );
    expect((await sut.http.get('/api/v1/auth/me').set(...authorization)).body.roles).toEqual([
      'admin',
      'user',
    ]);
    await queryDatabase(sut.databaseUrl, `DELETE FROM user_roles WHERE user_id = $1`, [user.id]);
    expect((await sut.http.get('/api/v1/auth/me').set(...authorization)).body.roles).toEqual([]);
  });

  it("should answer each token's own scopes when one user's tokens take turns", async () => {
    const user = await registerUser(sut.http);
    const narrow = bearer(await login(sut.http, user.username, user.password, 'openid'));
    const wide = bearer(await login(sut.http, user.username, user.password, 'openid email profile'));
    for (const [authorization, scopes] of [
      [narrow, ['openid']],
      [wide, ['email', 'openid', 'profile']],
      [narrow, ['openid']],
      [wide, ['email', 'openid', 'profile']],
    ] as const) {
      const response = await sut.http
        .get('/api/v1/auth/me')
        .set(...authorization)
        .expect(200);
      expect([...response.body.scopes].sort()).toEqual(scopes);
      expect(response.body.username).toBe(user.username);
    }
  });

  it('should end the session of a user deactivated outside the API', async () => {
    const { user, authorization } = await signedIn();
    await sut.http
      .get('/api/v1/auth/me')
      .set(...authorization)
      .expect(200);
    await queryDatabase(sut.databaseUrl, `UPDATE users SET is_active = false WHERE id = $1`, [user.id]);
    const response = await sut.http.get('/api/v1/auth/me').set(...authorization);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('SESSION_ENDED');
  });
});
