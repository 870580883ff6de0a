import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { redisAvailable, redisCacheEnvironment, unreachableRedisUrl } from '../helpers/redis.js';
import { startTestApp, startTwoNodes, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';

const USERS = '/api/v1/admin/users';
const DASHBOARD = '/api/v1/admin/dashboard/stats';

/**
 * A change made behind the API's back (straight in PostgreSQL) stays invisible while an answer
 * is cached; that is how these tests see the cache at work. A change through the API must show
 * at once.
 */
function changeBehindTheApisBack(app: TestApp, userId: string, givenName: string): Promise<unknown> {
  return queryDatabase(app.databaseUrl, `UPDATE users SET given_name = $2 WHERE id = $1`, [
    userId,
    givenName,
  ]);
}

async function givenNameInList(app: TestApp, admin: TestTokens, user: TestUser): Promise<string> {
  const response = await app.http
    .get(`${USERS}?search=${encodeURIComponent(user.username)}`)
    .set(...bearer(admin))
    .expect(200);
  const item = (response.body.items as { id: string; given_name: string }[]).find(
    (row) => row.id === user.id,
  );
  return item!.given_name;
}

async function givenNameInDetails(app: TestApp, admin: TestTokens, user: TestUser): Promise<string> {
  const response = await app.http
    .get(`${USERS}/${user.id}`)
    .set(...bearer(admin))
    .expect(200);
  return response.body.given_name as string;
}

function rename(app: TestApp, admin: TestTokens, user: TestUser, givenName: string) {
  return app.http
    .patch(`${USERS}/${user.id}`)
    .set(...bearer(admin))
    .send({ given_name: givenName })
    .expect(200);
}

describe('admin cache on one node', () => {
  let sut: TestApp;
  let admin: TestTokens;
  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should serve user lists and details from the cache, and show a change through the API at once', async () => {
    const user = await registerUser(sut.http);
    await rename(sut, admin, user, 'First');
    expect(await givenNameInList(sut, admin, user)).toBe('First');
    expect(await givenNameInDetails(sut, admin, user)).toBe('First');

    await changeBehindTheApisBack(sut, user.id, 'Hidden');
    expect(await givenNameInList(sut, admin, user)).toBe('First');
    expect(await givenNameInDetails(sut, admin, user)).toBe('First');

    await rename(sut, admin, user, 'Second');
    expect(await givenNameInList(sut, admin, user)).toBe('Second');
    expect(await givenNameInDetails(sut, admin, user)).toBe('Second');
  });

  it('should show role changes, sessions and lockouts in user details at once', async () => {
    const user = await registerUser(sut.http);
    const details = () =>
      sut.http
        .get(`${USERS}/${user.id}`)
        .set(...bearer(admin))
        .expect(200);
    expect((await details()).body).toMatchObject({ roles: ['user'], active_session_count: 0 });

    await login(sut.http, user.username, user.password);
    expect((await details()).body.active_session_count).toBe(1);

    await sut.http
      .put(`${USERS}/${user.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['admin', 'user'] })
      .expect(200);
    expect((await details()).body.roles).toEqual(['admin', 'user']);

    for (let attempt = 0; attempt < 5; attempt++) {
      await sut.http
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'wrong password 1!' });
    }
    expect((await details()).body.locked).toBe(true);
    await sut.http
      .post(`${USERS}/${user.id}/unlock`)
      .set(...bearer(admin))
      .expect(200);
    expect((await details()).body.locked).toBe(false);
  });

  it('should count a new user and a sign-in on the dashboard at once', async () => {
    const before = (
      await sut.http
        .get(DASHBOARD)
        .set(...bearer(admin))
        .expect(200)
    ).body;
    const user = await registerUser(sut.http);
    await login(sut.http, user.username, user.password);
    const after = (
      await sut.http
        .get(DASHBOARD)
        .set(...bearer(admin))
        .expect(200)
    ).body;
    expect(after.users.total).toBe(before.users.total + 1);
    expect(after.logins_24h.succeeded).toBe(before.logins_24h.succeeded + 1);
    expect(after.sessions.active).toBe(before.sessions.active + 1);
  });
});

describe('admin cache with CACHE_ENABLED=false', () => {
  let sut: TestApp;
  let admin: TestTokens;
  beforeAll(async () => {
    sut = await startTestApp({ env: { CACHE_ENABLED: 'false' } });
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should read the database every time', async () => {
    const user = await registerUser(sut.http);
    await rename(sut, admin, user, 'First');
    expect(await givenNameInDetails(sut, admin, user)).toBe('First');
    await changeBehindTheApisBack(sut, user.id, 'Direct');
    expect(await givenNameInDetails(sut, admin, user)).toBe('Direct');
    expect(await givenNameInList(sut, admin, user)).toBe('Direct');
  });
});

describe.skipIf(!(await redisAvailable()))('admin cache on two nodes sharing Redis', () => {
  let first: TestApp;
  let second: TestApp;
  let admin: TestTokens;
  beforeAll(async () => {
    const environment = redisCacheEnvironment();
    [first, second] = await startTwoNodes({ env: environment });
    admin = await adminLogin(first.http);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('should share cached answers and invalidate them on the other node when one node writes', async () => {
    const user = await registerUser(first.http);
    await rename(first, admin, user, 'First');
    expect(await givenNameInList(first, admin, user)).toBe('First');
    expect(await givenNameInDetails(first, admin, user)).toBe('First');

    // The second node answers what the first one cached.
    await changeBehindTheApisBack(first, user.id, 'Hidden');
    expect(await givenNameInList(second, admin, user)).toBe('First');
    expect(await givenNameInDetails(second, admin, user)).toBe('First');

    await rename(first, admin, user, 'Second');
    expect(await givenNameInList(second, admin, user)).toBe('Second');
    expect(await givenNameInDetails(second, admin, user)).toBe('Second');

    await rename(second, admin, user, 'Third');
    expect(await givenNameInList(first, admin, user)).toBe('Third');
    expect(await givenNameInDetails(first, admin, user)).toBe('Third');
  });

  it('should show a session ended on one node in the dashboard of the other node at once', async () => {
    const user = await registerUser(first.http);
    const tokens = await login(first.http, user.username, user.password);
    const before = (
      await second.http
        .get(DASHBOARD)
        .set(...bearer(admin))
        .expect(200)
    ).body;
    await first.http
      .post('/api/v1/auth/logout')
      .set(...bearer(tokens))
      .expect(204);
    const after = (
      await second.http
        .get(DASHBOARD)
        .set(...bearer(admin))
        .expect(200)
    ).body;
    expect(after.sessions.active).toBe(before.sessions.active - 1);
  });
});

describe('admin cache when Redis does not answer', () => {
  let sut: TestApp;
  let admin: TestTokens;
  beforeAll(async () => {
    sut = await startTestApp({ env: { REDIS_URL: await unreachableRedisUrl() } });
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should keep answering from the database, fresh after every write', async () => {
    const user = await registerUser(sut.http);
    await rename(sut, admin, user, 'First');
    expect(await givenNameInList(sut, admin, user)).toBe('First');
    await rename(sut, admin, user, 'Second');
    expect(await givenNameInDetails(sut, admin, user)).toBe('Second');
    await sut.http
      .get(DASHBOARD)
      .set(...bearer(admin))
      .expect(200);
  });
});
