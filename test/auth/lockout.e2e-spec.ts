import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { login, registerUser } from '../helpers/users.js';

describe('login lockout per identifier', () => {
  let sut: TestApp;
  const threshold = 3;

  beforeAll(async () => {
    sut = await startTestApp({
      env: { LOCKOUT_THRESHOLD: String(threshold), LOCKOUT_WINDOW: '15m', LOCKOUT_DURATION: '30m' },
    });
  });
  afterAll(() => sut.close());

  function attempt(username: string, password: string) {
    return sut.http.post('/api/v1/auth/login').send({ username, password });
  }

  async function failUntilLocked(username: string) {
    const answers = [];
    for (let i = 0; i < threshold; i++)
      answers.push(await attempt(username, 'definitely the wrong password'));
    return answers;
  }

  it('should lock a real identifier after the threshold, even for the right password, with Retry-After', async () => {
    const user = await registerUser(sut.http);
    const answers = await failUntilLocked(user.username);
    expect(answers.slice(0, threshold - 1).map((response) => response.status)).toEqual(
      Array(threshold - 1).fill(401),
    );
    expect(answers[threshold - 1].status).toBe(429);

    const locked = await attempt(user.username, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(29 * 60);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
    await attempt(user.username, user.password);
    const actions = await auditActions(sut.databaseUrl);
    expect(actions.filter((action) => action === 'user.login.locked')).toHaveLength(1);
  });

  it('should lock an unknown identifier exactly like a real one', async () => {
    const real = await registerUser(sut.http);
    const realAnswers = await failUntilLocked(real.username);
    const unknownAnswers = await failUntilLocked('nobody_by_this_name');
    expect(unknownAnswers.map((response) => response.status)).toEqual(
      realAnswers.map((response) => response.status),
    );
    const [realLocked, unknownLocked] = await Promise.all([
      attempt(real.username, 'x'),
      attempt('nobody_by_this_name', 'x'),
    ]);
    expect(unknownLocked.status).toBe(429);
    expect(unknownLocked.body.code).toBe(realLocked.body.code);
    expect(unknownLocked.body.title).toBe(realLocked.body.title);
    expect(unknownLocked.headers['retry-after']).toEqual(expect.any(String));
  });

  it('should count the identifier however it is cased', async () => {
    const user = await registerUser(sut.http);
    for (let i = 0; i < threshold; i++)
      await attempt(
        i % 2 === 0 ? user.username.toUpperCase() : user.username,
        'definitely the wrong password',
      );
    expect((await attempt(user.username, user.password)).status).toBe(429);
  });

  it('should reset the count after a successful login', async () => {
    const user = await registerUser(sut.http);
    for (let i = 0; i < threshold - 1; i++) await attempt(user.username, 'definitely the wrong password');
    await login(sut.http, user.username, user.password);
    for (let i = 0; i < threshold - 1; i++)
      expect((await attempt(user.username, 'definitely the wrong password')).status).toBe(401);
    await login(sut.http, user.username, user.password);
  });

  it('should name the user on the rows of its identifiers and no one on an unknown identifier', async () => {
    const user = await registerUser(sut.http);
    await attempt(user.username, 'definitely the wrong password');
    await attempt(user.email.toUpperCase(), 'definitely the wrong password');
    await attempt('nobody_named_here', 'definitely the wrong password');
    const owners = await queryDatabase<{ identifier: string; user_id: string | null }>(
      sut.databaseUrl,
      `SELECT x.identifier, t.user_id FROM unnest($1::text[]) AS x(identifier)
         JOIN login_throttles t ON t.identifier_hash = sha256(convert_to(x.identifier, 'UTF8'))
        ORDER BY x.identifier`,
      [[user.username, user.email.toLowerCase(), 'nobody_named_here'].sort()],
    );
    expect(Object.fromEntries(owners.map((row) => [row.identifier, row.user_id]))).toEqual({
      [user.username]: user.id,
      [user.email.toLowerCase()]: user.id,
      nobody_named_here: null,
    });
  });
});
