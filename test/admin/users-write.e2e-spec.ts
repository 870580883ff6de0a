import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

const USERS = '/api/v1/admin/users';

interface AuditRow {
  action: string;
  actor_id: string;
  target_id: string;
  outcome: string;
  request_id: string;
  details: Record<string, unknown>;
}

describe('admin user writes', () => {
  let sut: TestApp;
  let admin: TestTokens;
  let adminId: string;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
    adminId = (await sut.http.get('/api/v1/auth/me').set(...bearer(admin))).body.id;
  });
  afterAll(() => sut.close());

  const unique = () => randomBytes(4).toString('hex');
  const lastAudit = async (action: string, targetId: string): Promise<AuditRow> => {
    const [row] = await queryDatabase<AuditRow>(
      sut.databaseUrl,
      `SELECT action, actor_id, target_id, outcome, request_id, details FROM audit_events
        WHERE action = $1 AND target_id = $2 ORDER BY sequence DESC LIMIT 1`,
      [action, targetId],
    );
    return row;
  };

  it('should answer 401 and 403 INSUFFICIENT_SCOPE on every user route without the right token', async () => {
    const user = await registerUser(sut.http);
    const readOnly = await adminLogin(sut.http, 'admin:users:read');
    const id = user.id;
    type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
    const call = (method: Method, path: string) => sut.http[method](path);
    const writes: [Method, string, object?][] = [
      ['post', USERS, { username: 'x', email: 'x@example.test', generate_password: true }],
      ['patch', `${USERS}/${id}`, { name: 'x' }],
      ['put', `${USERS}/${id}/roles`, { roles: ['user'] }],
      ['post', `${USERS}/${id}/reset-password`],
      ['post', `${USERS}/${id}/unlock`],
      ['delete', `${USERS}/${id}`],
      ['delete', `${USERS}/${id}/sessions`],
      ['delete', `${USERS}/${id}/sessions/${id}`],
    ];
    const reads: [Method, string][] = [
      ['get', `${USERS}/${id}`],
      ['get', `${USERS}/${id}/sessions`],
    ];
    for (const [method, path, body] of [...writes, ...reads]) {
      const anonymous = await call(method, path).send(body);
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
    for (const [method, path, body] of writes) {
      const response = await call(method, path)
        .set(...bearer(readOnly))
        .send(body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
    }
    const userTokens = await login(sut.http, user.username, user.password);
    for (const [method, path] of reads) {
      const response = await call(method, path).set(...bearer(userTokens));
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
    }
    await sut.http
      .get(`${USERS}/${id}`)
      .set(...bearer(readOnly))
      .expect(200);
  });

  it('should answer every admin-visible field, with lock state and live sessions, and never a hash', async () => {
    const user = await registerUser(sut.http);
    await login(sut.http, user.username, user.password);
    const response = await sut.http.get(`${USERS}/${user.id}`).set(...bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: user.id,
      username: user.username,
      email: user.email,
      roles: ['user'],
      is_active: true,
      locked: false,
      locked_until: null,
      failed_login_attempts: 0,
      active_session_count: 1,
    });
    expect(response.body.last_login_at).not.toBeNull();
    expect(JSON.stringify(response.body)).not.toMatch(/password_hash|\$2[aby]\$/);
  });

  it('should answer 400 with a field error for a bad UUID and 404 USER_NOT_FOUND for a missing user', async () => {
    const bad = await sut.http.get(`${USERS}/not-a-uuid`).set(...bearer(admin));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('id');
    const missing = await sut.http.get(`${USERS}/00000000-0000-4000-8000-000000000000`).set(...bearer(admin));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('USER_NOT_FOUND');
    const patchMissing = await sut.http
      .patch(`${USERS}/00000000-0000-4000-8000-000000000000`)
      .set(...bearer(admin))
      .send({ name: 'x' });
    expect(patchMissing.body.code).toBe('USER_NOT_FOUND');
  });

  it('should create a user with a password, profile claims, roles and flags, and audit it', async () => {
    const name = `ada_${unique()}`;
    const response = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .set('X-Request-Id', `create-${name}`)
      .send({
        username: name,
        email: `${name}@example.test`,
        password: 'A long enough passphrase 1',
        given_name: 'Ada',
        family_name: 'Lovelace',
        locale: 'en-GB',
        address: { locality: 'London' },
        roles: ['user', 'admin'],
        email_verified: true,
      });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toMatchObject({
      username: name,
      given_name: 'Ada',
      family_name: 'Lovelace',
      address: { locality: 'London' },
      roles: ['admin', 'user'],
      email_verified: true,
      requires_password_change: false,
    });
    expect(response.body.temporary_password).toBeUndefined();
    const tokens = await login(sut.http, name, 'A long enough passphrase 1');
    expect(tokens.scope).toContain('admin:users:write');
    const audit = await lastAudit('admin.user.created', response.body.id);
    expect(audit).toMatchObject({ actor_id: adminId, outcome: 'success', request_id: `create-${name}` });
    expect(JSON.stringify(audit.details)).not.toContain('A long enough passphrase 1');
  });

  it('should generate a one-time password that works once and forces a change', async () => {
    const name = `gen_${unique()}`;
    const created = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ username: name, email: `${name}@example.test`, generate_password: true });
    expect(created.status).toBe(201);
    const temporary: string = created.body.temporary_password;
    expect(temporary.length).toBeGreaterThanOrEqual(24);
    expect(created.body.requires_password_change).toBe(true);

    const tokens = await login(sut.http, name, temporary);
    expect(tokens.password_change_required).toBe(true);
    const blocked = await sut.http.get('/api/v1/auth/sessions').set(...bearer(tokens));
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    await sut.http
      .post('/api/v1/auth/change-password')
      .set(...bearer(tokens))
      .send({ current_password: temporary, new_password: 'My own chosen passphrase 7' })
      .expect(204);
    const again = await sut.http.post('/api/v1/auth/login').send({ username: name, password: temporary });
    expect(again.status).toBe(401);
    expect((await login(sut.http, name, 'My own chosen passphrase 7')).password_change_required).toBe(false);
  });

  it.each([
    [{ password: 'A long enough passphrase 1', generate_password: true }, 'password'],
    [{}, 'password'],
    [{ generate_password: false }, 'generate_password'],
    [{ password: null }, 'password'],
    [{ password: 'short' }, 'password'],
    [{ password: 'A long enough passphrase 1', is_admin: true }, 'is_admin'],
    [{ password: 'A long enough passphrase 1', is_active: null }, 'is_active'],
  ])('should answer 400 with field errors for a bad creation %j', async (extra, field) => {
    const name = `bad_${unique()}`;
    const response = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ username: name, email: `${name}@example.test`, ...extra });
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('should answer 409 when the username or e-mail is taken and 404 for an unknown role', async () => {
    const existing = await registerUser(sut.http);
    const base = { password: 'A long enough passphrase 1' };
    const name = unique();
    const username = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ ...base, username: existing.username.toUpperCase(), email: `${name}@example.test` });
    expect(username.status).toBe(409);
    expect(username.body.code).toBe('USERNAME_TAKEN');
    const email = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ ...base, username: `u${name}`, email: existing.email });
    expect(email.body.code).toBe('EMAIL_TAKEN');
    const role = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ ...base, username: `r${name}`, email: `r${name}@example.test`, roles: ['wizard'] });
    expect(role.status).toBe(404);
    expect(role.body.code).toBe('ROLE_NOT_FOUND');
  });

  it('should change only the fields sent and audit old and new values', async () => {
    const user = await registerUser(sut.http);
    const newName = `renamed_${unique()}`;
    const response = await sut.http
      .patch(`${USERS}/${user.id}`)
      .set(...bearer(admin))
      .send({
        username: newName,
        email_verified: true,
        family_name: 'Hopper',
        requires_password_change: true,
      });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      username: newName,
      email: user.email,
      email_verified: true,
      family_name: 'Hopper',
      requires_password_change: true,
      is_active: true,
    });
    const audit = await lastAudit('admin.user.updated', user.id);
    expect(audit.details.changes).toEqual({
      username: { old: user.username, new: newName },
      email_verified: { old: false, new: true },
      family_name: { old: null, new: 'Hopper' },
      requires_password_change: { old: false, new: true },
    });
    const cleared = await sut.http
      .patch(`${USERS}/${user.id}`)
      .set(...bearer(admin))
      .send({ family_name: null });
    expect(cleared.body.family_name).toBeNull();
  });

  it('should refuse a taken username, a null flag and unknown fields on PATCH', async () => {
    const [first, second] = [await registerUser(sut.http), await registerUser(sut.http)];
    const taken = await sut.http
      .patch(`${USERS}/${first.id}`)
      .set(...bearer(admin))
      .send({ email: second.email });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    for (const body of [
      { is_active: null },
      { username: null },
      { password_hash: 'x' },
      { username: 'with space' },
    ]) {
      const response = await sut.http
        .patch(`${USERS}/${first.id}`)
        .set(...bearer(admin))
        .send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('should end every session when deactivating, so old tokens stop working', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(tokens))
      .expect(200);
    const response = await sut.http
      .patch(`${USERS}/${user.id}`)
      .set(...bearer(admin))
      .send({ is_active: false });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ is_active: false, active_session_count: 0 });
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(tokens))).status).toBe(401);
    const refresh = await sut.http.post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token });
    expect(refresh.status).toBe(401);
    const [{ revoke_reason }] = await queryDatabase(
      sut.databaseUrl,
      `SELECT revoke_reason FROM sessions WHERE user_id = $1`,
      [user.id],
    );
    expect(revoke_reason).toBe('user_deactivated');
    expect((await lastAudit('admin.user.updated', user.id)).details).toMatchObject({ sessions_ended: 1 });
  });

  it('should reset the password: old one fails, sessions end, the temporary one forces a change', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    const response = await sut.http.post(`${USERS}/${user.id}/reset-password`).set(...bearer(admin));
    expect(response.status).toBe(200);
    const temporary: string = response.body.temporary_password;
    expect(temporary.length).toBeGreaterThanOrEqual(24);
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(tokens))).status).toBe(401);
    const old = await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    expect(old.status).toBe(401);
    const fresh = await login(sut.http, user.username, temporary);
    expect(fresh.password_change_required).toBe(true);
    const audit = await lastAudit('admin.user.password_reset', user.id);
    expect(audit.details).toEqual({ sessions_ended: 1 });
    expect(JSON.stringify(audit)).not.toContain(temporary);
  });

  it('should unlock a locked-out user so it can sign in again', async () => {
    const user = await registerUser(sut.http);
    for (let attempt = 0; attempt < 5; attempt++) {
      await sut.http.post('/api/v1/auth/login').send({ username: user.email, password: 'wrong password!!' });
    }
    const locked = await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: user.password });
    expect(locked.status).toBe(200); // the lock is per identifier: the e-mail is locked, not the username
    const denied = await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: user.password });
    expect(denied.status).toBe(429);
    const before = await sut.http.get(`${USERS}/${user.id}`).set(...bearer(admin));
    expect(before.body).toMatchObject({ locked: true, failed_login_attempts: 5 });
    expect(before.body.locked_until).not.toBeNull();

    const response = await sut.http.post(`${USERS}/${user.id}/unlock`).set(...bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ locked: false, locked_until: null, failed_login_attempts: 0 });
    await login(sut.http, user.email, user.password);
    expect((await lastAudit('admin.user.unlocked', user.id)).details).toEqual({
      was_locked: true,
      failed_attempts: 5,
    });
  });

  const failLogins = async (identifier: string, times = 5) => {
    for (let attempt = 0; attempt < times; attempt++) {
      await sut.http.post('/api/v1/auth/login').send({ username: identifier, password: 'wrong password!!' });
    }
  };
  const throttleRows = async (...identifiers: string[]) =>
    queryDatabase<{ user_id: string | null }>(
      sut.databaseUrl,
      `SELECT user_id FROM login_throttles
        WHERE identifier_hash = ANY(ARRAY(SELECT sha256(convert_to(lower(x), 'UTF8')) FROM unnest($1::text[]) x))`,
      [identifiers],
    );

  it('should unlock both identifiers, with a lock counted on the e-mail before the user registered', async () => {
    const suffix = unique();
    const email = `early_${suffix}@example.test`;
    await failLogins(email, 2); // no one has this e-mail yet: the row names no user
    const user = await registerUser(sut.http, { username: `early_${suffix}`, email });
    await failLogins(user.username);
    expect(await throttleRows(user.email)).toEqual([{ user_id: null }]);
    const before = await sut.http.get(`${USERS}/${user.id}`).set(...bearer(admin));
    expect(before.body).toMatchObject({ locked: true, failed_login_attempts: 5 });

    const response = await sut.http.post(`${USERS}/${user.id}/unlock`).set(...bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ locked: false, failed_login_attempts: 0 });
    expect(await throttleRows(user.username, user.email)).toEqual([]);
    await login(sut.http, user.username, user.password);
  });

  it('should stop showing a lock on an e-mail the user no longer has, which still throttles', async () => {
    const user = await registerUser(sut.http);
    await failLogins(user.email);
    expect((await sut.http.get(`${USERS}/${user.id}`).set(...bearer(admin))).body.locked).toBe(true);
    const newEmail = `moved_${unique()}@example.test`;
    const patched = await sut.http
      .patch(`${USERS}/${user.id}`)
      .set(...bearer(admin))
      .send({ email: newEmail });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ email: newEmail, locked: false, failed_login_attempts: 0 });
    expect(await throttleRows(user.email)).toEqual([{ user_id: null }]);
    const oldEmail = await sut.http
      .post('/api/v1/auth/login')
      .send({ username: user.email, password: user.password });
    expect(oldEmail.status).toBe(429);
    await login(sut.http, newEmail, user.password);
  });
});
