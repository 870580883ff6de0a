import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { registerUser } from '../helpers/users.js';

describe('POST /api/v1/auth/register', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('should create the user, answer 201 without any hash, and audit it', async () => {
    const response = await sut.http.post('/api/v1/auth/register').send({
      username: 'ada',
      email: 'Ada@Example.test',
      password: 'analytical engine notes',
      given_name: 'Ada',
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      username: 'ada',
      email: 'Ada@Example.test',
      email_verified: false,
      roles: ['user'],
      given_name: 'Ada',
    });
    expect(JSON.stringify(response.body)).not.toMatch(/password_hash|\$2[aby]\$/);
    expect(await auditActions(sut.databaseUrl, response.body.id)).toContain('user.registered');
    const [row] = await queryDatabase<{ password_hash: string }>(
      sut.databaseUrl,
      'SELECT password_hash FROM users WHERE id = $1',
      [response.body.id],
    );
    expect(row.password_hash).toMatch(/^\$2b\$04\$/);
  });

  it('should answer 409 USERNAME_TAKEN when the username exists in another case', async () => {
    const existing = await registerUser(sut.http);
    const response = await sut.http.post('/api/v1/auth/register').send({
      username: existing.username.toUpperCase(),
      email: 'other@example.test',
      password: 'another fine password',
    });
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('USERNAME_TAKEN');
  });

  it('should answer 409 EMAIL_TAKEN when the e-mail exists in another case', async () => {
    const existing = await registerUser(sut.http);
    const response = await sut.http.post('/api/v1/auth/register').send({
      username: 'someone_new',
      email: existing.email.toUpperCase(),
      password: 'another fine password',
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('EMAIL_TAKEN');
  });

  it('should answer 400 naming the field when an unknown field is sent, and create nothing', async () => {
    const response = await sut.http.post('/api/v1/auth/register').send({
      username: 'mallory',
      email: 'mallory@example.test',
      password: 'a long enough password',
      is_admin: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toContainEqual(
      expect.objectContaining({ field: 'is_admin', code: 'unknown_field' }),
    );
    expect(
      await queryDatabase(sut.databaseUrl, `SELECT 1 FROM users WHERE username = 'mallory'`),
    ).toHaveLength(0);
  });

  it.each([
    ['too short', 'short pass', 'too_short'],
    ['a common password', 'qwerty123456', 'too_common'],
    ['the username itself', 'grace_hopper_1906', 'contains_identity'],
  ])('should answer 400 PASSWORD_POLICY_VIOLATION when the password is %s', async (_case, password, code) => {
    const response = await sut.http
      .post('/api/v1/auth/register')
      .send({ username: 'grace_hopper_1906', email: 'grace@example.test', password });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'password', code }));
  });

  it('should answer 400 with field errors when the e-mail and username are malformed', async () => {
    const response = await sut.http
      .post('/api/v1/auth/register')
      .send({ username: 'a b', email: 'not-an-email', password: 'a long enough password' });
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'email']));
  });
});

describe('POST /api/v1/auth/register with ALLOW_REGISTRATION=false', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { ALLOW_REGISTRATION: 'false' } });
  });
  afterAll(() => sut.close());

  it('should answer 403 REGISTRATION_DISABLED', async () => {
    const response = await sut.http
      .post('/api/v1/auth/register')
      .send({ username: 'nobody', email: 'nobody@example.test', password: 'a long enough password' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('REGISTRATION_DISABLED');
  });
});
