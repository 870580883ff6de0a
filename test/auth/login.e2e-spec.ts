import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser } from '../helpers/users.js';

function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('POST /api/v1/auth/login', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('should issue a bearer token pair and a session when the password is right', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);

    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, password_change_required: false });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope.split(' ').sort()).toEqual(['address', 'email', 'openid', 'phone', 'profile']);
    const claims = decodeJwtPayload(tokens.access_token);
    expect(claims).toMatchObject({
      iss: sut.config.issuer,
      sub: user.id,
      aud: `${sut.config.issuer}/api`,
      client_id: 'portcullis',
      sid: tokens.session_id,
      scope: tokens.scope,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
    expect(claims.jti).toEqual(expect.any(String));
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('user.login.succeeded');
  });

  it('should stamp audit events with the request id, ip and user agent', async () => {
    const user = await registerUser(sut.http);
    await sut.http
      .post('/api/v1/auth/login')
      .set('X-Request-Id', `login-${user.id}`)
      .set('User-Agent', 'portcullis-test/1.0')
      .send({ username: user.username, password: user.password })
      .expect(200);
    const [event] = await queryDatabase(sut.databaseUrl, `SELECT * FROM audit_events WHERE request_id = $1`, [
      `login-${user.id}`,
    ]);
    expect(event).toMatchObject({
      action: 'user.login.succeeded',
      outcome: 'success',
      actor_type: 'user',
      actor_id: user.id,
      user_agent: 'portcullis-test/1.0',
    });
    expect(event.ip).toMatch(/127\.0\.0\.1/);
  });

  it('should accept the e-mail address, in any case, as the identifier', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.email.toUpperCase(), user.password);
    expect(tokens.session_id).toEqual(expect.any(String));
  });

  it('should grant only the asked scopes the roles allow when a scope is asked', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password, 'openid email admin:users:read');
    expect(tokens.scope.split(' ').sort()).toEqual(['email', 'openid']);
  });

  it('should grant the admin scopes to the admin role', async () => {
    const tokens = await login(
      sut.http,
      TEST_ADMIN.username,
      TEST_ADMIN.password,
      'admin:users:read admin:system:write',
    );
    expect(tokens.scope.split(' ').sort()).toEqual(['admin:system:write', 'admin:users:read']);
  });

  it('should answer the same 401 INVALID_CREDENTIALS for a wrong password, an unknown user and a disabled user', async () => {
    const user = await registerUser(sut.http);
    const disabled = await registerUser(sut.http);
    await queryDatabase(sut.databaseUrl, 'UPDATE users SET is_active = false WHERE id = $1', [disabled.id]);

    const answers = await Promise.all([
      sut.http
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: 'not the password at all' }),
      sut.http
        .post('/api/v1/auth/login')
        .send({ username: 'no_such_user_anywhere', password: 'not the password at all' }),
      sut.http.post('/api/v1/auth/login').send({ username: disabled.username, password: disabled.password }),
    ]);
    for (const response of answers) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'INVALID_CREDENTIALS', title: answers[0].body.title });
      expect(response.body.detail).toBe(answers[0].body.detail);
    }
    const failures = await queryDatabase(
      sut.databaseUrl,
      `SELECT 1 FROM audit_events WHERE action = 'user.login.failed'`,
    );
    expect(failures.length).toBeGreaterThanOrEqual(3);
  });

  it('should answer 400 when the body misses the password', async () => {
    const response = await sut.http.post('/api/v1/auth/login').send({ username: 'someone' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
  });

  it('should never write a password, token or hash into the audit trail', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'wrong secret value here' });
    const rows = await queryDatabase<{ dump: string }>(
      sut.databaseUrl,
      `SELECT row_to_json(a)::text AS dump FROM audit_events a`,
    );
    const everything = rows.map((row) => row.dump).join('\n');
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain('wrong secret value here');
    expect(everything).not.toContain(tokens.refresh_token);
    expect(everything).not.toContain(tokens.access_token.split('.')[2]);
  });

  it('should store refresh tokens only as digests', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const rows = await queryDatabase<{ dump: string }>(
      sut.databaseUrl,
      `SELECT row_to_json(p)::text AS dump FROM oidc_payloads p`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.dump).join('\n')).not.toContain(tokens.refresh_token);
  });
});

describe('GET and PATCH /api/v1/auth/me', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('should answer the profile, roles and token scopes', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const response = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: user.id,
      username: user.username,
      roles: ['user'],
      scopes: tokens.scope.split(' '),
    });
    expect(response.body).not.toHaveProperty('password_hash');
  });

  it('should answer 401 MISSING_TOKEN without a token and 401 INVALID_TOKEN with a forged one', async () => {
    const missing = await sut.http.get('/api/v1/auth/me');
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('MISSING_TOKEN');

    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const [header, payload] = tokens.access_token.split('.');
    const tampered = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    tampered.sub = '00000000-0000-4000-8000-000000000000';
    const forged = `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${tokens.access_token.split('.')[2]}`;
    const response = await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_TOKEN');
  });

  it('should change OIDC profile claims, clear one with null, and audit the change', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    await sut.http
      .patch('/api/v1/auth/me')
      .set(...bearer(tokens))
      .send({ nickname: 'Countess' })
      .expect(200);
    const response = await sut.http
      .patch('/api/v1/auth/me')
      .set(...bearer(tokens))
      .send({
        given_name: 'Ada',
        zoneinfo: 'Europe/London',
        locale: 'en-GB',
        nickname: null,
        address: { locality: 'London' },
      });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      given_name: 'Ada',
      zoneinfo: 'Europe/London',
      locale: 'en-GB',
      nickname: null,
      address: { locality: 'London' },
    });
    // GET reads the user with its own prepared statement: it must answer what PATCH answered.
    const me = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    const { scopes, ...profile } = me.body as Record<string, unknown>;
    expect(scopes).toEqual(tokens.scope.split(' '));
    expect(profile).toEqual(response.body);
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('user.profile.updated');
  });

  it.each([
    ['email_verified', true],
    ['roles', ['admin']],
    ['is_active', false],
    ['email', 'new@example.test'],
    ['password_hash', 'x'],
  ])('should answer 400 and change nothing when %s is sent', async (field, value) => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const response = await sut.http
      .patch('/api/v1/auth/me')
      .set(...bearer(tokens))
      .send({ given_name: 'Changed', [field]: value });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code: 'unknown_field' }));
    const me = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    expect(me.body.given_name).toBeNull();
    expect(me.body.roles).toEqual(['user']);
  });

  it('should answer 400 for a time zone or locale that does not exist', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const response = await sut.http
      .patch('/api/v1/auth/me')
      .set(...bearer(tokens))
      .send({ zoneinfo: 'Mars/Olympus', birthdate: '1815-13-40' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'birthdate',
      'zoneinfo',
    ]);
  });
});
