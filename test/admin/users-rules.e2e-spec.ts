import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createClient } from '../oauth/support/clients.js';
import { adminLogin } from '../helpers/admin.js';
import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';

const USERS = '/api/v1/admin/users';

describe('admin user rules: self, last admin, cascade delete', () => {
  let sut: TestApp;
  let admin: TestTokens;
  let adminId: string;
  /** A user whose role grants admin:users:* without being an admin. */
  let manager: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
    adminId = (await sut.http.get('/api/v1/auth/me').set(...bearer(admin))).body.id;
    const role = await sut.http
      .post('/api/v1/admin/roles')
      .set(...bearer(admin))
      .send({ name: 'user-managers', scopes: ['admin:users:read', 'admin:users:write'] });
    expect(role.status).toBe(201);
    const managerUser = await registerUser(sut.http);
    await sut.http
      .put(`${USERS}/${managerUser.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['user', 'user-managers'] })
      .expect(200);
    manager = await login(sut.http, managerUser.username, managerUser.password);
  });
  afterAll(() => sut.close());

  const createAdmin = async (): Promise<TestUser> => {
    const name = `admin_${randomBytes(4).toString('hex')}`;
    const user = { username: name, email: `${name}@example.test`, password: 'Second admin passphrase 9' };
    const response = await sut.http
      .post(USERS)
      .set(...bearer(admin))
      .send({ ...user, roles: ['admin'] });
    expect(response.status).toBe(201);
    return { id: response.body.id, ...user };
  };

  it('should refuse to let an admin remove its own admin role, deactivate or delete itself', async () => {
    await createAdmin(); // so the last-admin rule is not what answers
    const demote = await sut.http
      .put(`${USERS}/${adminId}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['user'] });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('CANNOT_REMOVE_OWN_ADMIN_ROLE');
    const deactivate = await sut.http
      .patch(`${USERS}/${adminId}`)
      .set(...bearer(admin))
      .send({ is_active: false });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.code).toBe('CANNOT_DEACTIVATE_SELF');
    const remove = await sut.http.delete(`${USERS}/${adminId}`).set(...bearer(admin));
    expect(remove.status).toBe(409);
    expect(remove.body.code).toBe('CANNOT_DELETE_SELF');
    const me = await sut.http.get(`${USERS}/${adminId}`).set(...bearer(admin));
    expect(me.body).toMatchObject({ is_active: true, roles: ['admin'] });
    // Keeping the admin role while adding another is no demotion.
    await sut.http
      .put(`${USERS}/${adminId}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['admin', 'user'] })
      .expect(200);
    await sut.http
      .put(`${USERS}/${adminId}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['admin'] })
      .expect(200);
  });

  it('should never leave no active admin: demote, deactivate and delete of the last one are 409 LAST_ACTIVE_ADMIN', async () => {
    const other = await createAdmin();
    // Down to one active admin: the bootstrap admin.
    await sut.http
      .patch(`${USERS}/${other.id}`)
      .set(...bearer(manager))
      .send({ is_active: false })
      .expect(200);
    const [{ count }] = await queryDatabase<{ count: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS count FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.name = 'admin' AND u.is_active AND u.id <> $1`,
      [adminId],
    );
    for (let index = 0; index < count; index++) {
      // Earlier tests made more admins; deactivate them all.
      const [row] = await queryDatabase<{ id: string }>(
        sut.databaseUrl,
        `SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
          WHERE r.name = 'admin' AND u.is_active AND u.id <> $1 LIMIT 1`,
        [adminId],
      );
      await sut.http
        .patch(`${USERS}/${row.id}`)
        .set(...bearer(manager))
        .send({ is_active: false })
        .expect(200);
    }
    const attempts = [
      sut.http
        .put(`${USERS}/${adminId}/roles`)
        .set(...bearer(manager))
        .send({ roles: ['user'] }),
      sut.http
        .patch(`${USERS}/${adminId}`)
        .set(...bearer(manager))
        .send({ is_active: false }),
      sut.http.delete(`${USERS}/${adminId}`).set(...bearer(manager)),
    ];
    for (const attempt of attempts) {
      const response = await attempt;
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('LAST_ACTIVE_ADMIN');
    }
    const refusals = await queryDatabase(
      sut.databaseUrl,
      `SELECT action, details FROM audit_events WHERE target_id = $1 AND outcome = 'failure' ORDER BY sequence`,
      [adminId],
    );
    expect(refusals.slice(-3)).toEqual([
      { action: 'admin.user.roles_changed', details: { code: 'LAST_ACTIVE_ADMIN' } },
      { action: 'admin.user.updated', details: { code: 'LAST_ACTIVE_ADMIN' } },
      { action: 'admin.user.deleted', details: { code: 'LAST_ACTIVE_ADMIN' } },
    ]);
    // An inactive admin is no obstacle to changing the others.
    await sut.http
      .put(`${USERS}/${other.id}/roles`)
      .set(...bearer(manager))
      .send({ roles: ['user'] })
      .expect(200);
    await sut.http
      .patch(`${USERS}/${other.id}`)
      .set(...bearer(manager))
      .send({ is_active: true })
      .expect(200);
  });

  it('should let exactly one of two concurrent demotions of the last two admins win', async () => {
    const second = await createAdmin();
    const [first, other] = await Promise.all([
      sut.http
        .put(`${USERS}/${adminId}/roles`)
        .set(...bearer(manager))
        .send({ roles: ['user'] }),
      sut.http
        .put(`${USERS}/${second.id}/roles`)
        .set(...bearer(manager))
        .send({ roles: ['user'] }),
    ]);
    const statuses = [first.status, other.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [{ count }] = await queryDatabase<{ count: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS count FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        WHERE r.name = 'admin' AND u.is_active`,
    );
    expect(count).toBe(1);
    // Restore the bootstrap admin as an admin for the tests that follow.
    if (first.status === 200) {
      await sut.http
        .put(`${USERS}/${adminId}/roles`)
        .set(...bearer(manager))
        .send({ roles: ['admin'] })
        .expect(200);
      admin = await adminLogin(sut.http);
    }
  });

  it('should end the sessions of a user who loses scopes with its roles', async () => {
    const promoted = await createAdmin();
    const tokens = await login(sut.http, promoted.username, promoted.password);
    await sut.http
      .get(USERS)
      .set(...bearer(tokens))
      .expect(200);
    await sut.http
      .put(`${USERS}/${promoted.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['user'] })
      .expect(200);
    expect((await sut.http.get(USERS).set(...bearer(tokens))).status).toBe(401);
    const again = await login(sut.http, promoted.username, promoted.password);
    expect(again.scope).not.toContain('admin:');
    const unknown = await sut.http
      .put(`${USERS}/${promoted.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['nope'] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ROLE_NOT_FOUND');
  });

  it('should delete a user with everything hanging on it in one go, keeping its audit events', async () => {
    const user = await registerUser(sut.http);
    const tokens = await login(sut.http, user.username, user.password);
    await login(sut.http, user.username, user.password);
    await sut.http
      .put('/api/v1/auth/me/preferences')
      .set(...bearer(tokens))
      .send({ theme: 'dark' })
      .expect(200);
    const client = await createClient(sut, { type: 'confidential', grantTypes: ['client_credentials'] });
    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, $2, ARRAY['openid'])`,
      [user.id, client.clientId],
    );
    await sut.http.post('/api/v1/auth/login').send({ username: user.email, password: 'wrong password!!' });
    const count = async (sql: string) =>
      (
        await queryDatabase<{ count: number }>(sut.databaseUrl, `SELECT count(*)::int AS count FROM ${sql}`, [
          user.id,
        ])
      )[0].count;
    const hanging = {
      sessions: 'sessions WHERE user_id = $1',
      providerRecords: `oidc_payloads WHERE payload ->> 'accountId' = $1::text`,
      roles: 'user_roles WHERE user_id = $1',
      preferences: 'user_preferences WHERE user_id = $1',
      consents: 'oauth_consents WHERE user_id = $1',
      lockout: `login_throttles WHERE identifier_hash = sha256(convert_to(lower((SELECT email FROM users WHERE id = $1)::text), 'UTF8'))`,
    };
    for (const [name, sql] of Object.entries(hanging)) expect(await count(sql), name).toBeGreaterThan(0);
    const lockoutRows = await count(hanging.lockout);

    const response = await sut.http.delete(`${USERS}/${user.id}`).set(...bearer(admin));
    expect(response.status).toBe(204);
    for (const [name, sql] of Object.entries(hanging)) {
      if (name !== 'lockout') expect(await count(sql), name).toBe(0);
    }
    expect(lockoutRows).toBe(1);
    const [{ count: throttles }] = await queryDatabase<{ count: number }>(
      sut.databaseUrl,
      `SELECT count(*)::int AS count FROM login_throttles WHERE identifier_hash = sha256(convert_to($1, 'UTF8'))`,
      [user.email.toLowerCase()],
    );
    expect(throttles).toBe(0);
    expect(await count('users WHERE id = $1')).toBe(0);

    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(tokens))).status).toBe(401);
    const history = await auditActions(sut.databaseUrl, user.id);
    expect(history).toEqual(
      expect.arrayContaining(['user.registered', 'user.login.succeeded', 'admin.user.deleted']),
    );
    const [deleted] = await queryDatabase(
      sut.databaseUrl,
      `SELECT actor_id, details FROM audit_events WHERE action = 'admin.user.deleted' AND target_id = $1`,
      [user.id],
    );
    expect(deleted.details).toMatchObject({ username: user.username, sessions_ended: 2 });
    const verify = await sut.http.get('/api/v1/admin/audit/verify').set(...bearer(admin));
    expect(verify.body.ok).toBe(true);
    const missing = await sut.http.delete(`${USERS}/${user.id}`).set(...bearer(admin));
    expect(missing.status).toBe(404);
  });
});
