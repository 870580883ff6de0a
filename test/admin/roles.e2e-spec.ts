import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

const ROLES = '/api/v1/admin/roles';

interface Role {
  id: string;
  name: string;
  scopes: string[];
  is_builtin: boolean;
  user_count: number;
}

describe('admin roles API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  const roleNamed = async (name: string): Promise<Role> => {
    const response = await sut.http.get(`${ROLES}?limit=100`).set(...bearer(admin));
    return response.body.items.find((role: Role) => role.name === name);
  };

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without the admin:users scope', async () => {
    expect((await sut.http.get(ROLES)).status).toBe(401);
    expect((await sut.http.post(ROLES).send({ name: 'x' })).status).toBe(401);
    const user = await registerUser(sut.http);
    const userTokens = await login(sut.http, user.username, user.password);
    const read = await sut.http.get(ROLES).set(...bearer(userTokens));
    expect(read.body.code).toBe('INSUFFICIENT_SCOPE');
    const readOnly = await adminLogin(sut.http, 'admin:users:read');
    await sut.http
      .get(ROLES)
      .set(...bearer(readOnly))
      .expect(200);
    const adminRole = await roleNamed('admin');
    for (const request of [
      sut.http.post(ROLES).send({ name: 'auditors' }),
      sut.http.patch(`${ROLES}/${adminRole.id}`).send({ description: 'x' }),
      sut.http.delete(`${ROLES}/${adminRole.id}`),
    ]) {
      const response = await request.set(...bearer(readOnly));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
    }
  });

  it('should list the built-in roles with their user counts, paged by offset and by cursor', async () => {
    await registerUser(sut.http);
    const page = await sut.http.get(ROLES).set(...bearer(admin));
    expect(page.status).toBe(200);
    const byName = Object.fromEntries(page.body.items.map((role: Role) => [role.name, role]));
    expect(byName.admin).toMatchObject({ is_builtin: true, user_count: 1 });
    expect(byName.admin.scopes).toContain('admin:users:write');
    expect(byName.user.is_builtin).toBe(true);
    expect(byName.user.user_count).toBeGreaterThanOrEqual(1);

    for (const name of ['c-role', 'a-role', 'b-role']) {
      await sut.http
        .post(ROLES)
        .set(...bearer(admin))
        .send({ name })
        .expect(201);
    }
    const first = await sut.http.get(`${ROLES}?limit=2`).set(...bearer(admin));
    expect(first.body).toMatchObject({ total: 5, has_more: true });
    const names: string[] = first.body.items.map((role: Role) => role.name);
    let cursor = first.body.next_cursor;
    while (cursor) {
      const next = await sut.http.get(`${ROLES}?limit=2&cursor=${cursor}`).set(...bearer(admin));
      names.push(...next.body.items.map((role: Role) => role.name));
      cursor = next.body.next_cursor;
    }
    expect(names).toEqual(['a-role', 'admin', 'b-role', 'c-role', 'user']);
    const offset = await sut.http.get(`${ROLES}?limit=2&offset=2&order=desc`).set(...bearer(admin));
    expect(offset.body.items.map((role: Role) => role.name)).toEqual(['b-role', 'admin']);
  });

  it('should create a role from existing scopes and refuse unknown scopes, bad names and duplicates', async () => {
    const created = await sut.http
      .post(ROLES)
      .set(...bearer(admin))
      .send({ name: 'support', description: 'Help desk', scopes: ['admin:users:read', 'openid'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'support',
      description: 'Help desk',
      scopes: ['admin:users:read', 'openid'],
      is_builtin: false,
      user_count: 0,
    });
    const fetched = await sut.http.get(`${ROLES}/${created.body.id}`).set(...bearer(admin));
    expect(fetched.body).toEqual(created.body);

    const unknown = await sut.http
      .post(ROLES)
      .set(...bearer(admin))
      .send({ name: 'wizards', scopes: ['admin:magic'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('UNKNOWN_SCOPE');
    expect(unknown.body.errors[0].field).toBe('scopes');
    const badName = await sut.http
      .post(ROLES)
      .set(...bearer(admin))
      .send({ name: 'Has Spaces' });
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].field).toBe('name');
    const duplicate = await sut.http
      .post(ROLES)
      .set(...bearer(admin))
      .send({ name: 'support' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('ROLE_NAME_TAKEN');
    expect((await sut.http.get(`${ROLES}/not-a-uuid`).set(...bearer(admin))).status).toBe(400);
    const missing = await sut.http.get(`${ROLES}/00000000-0000-4000-8000-000000000000`).set(...bearer(admin));
    expect(missing.body.code).toBe('ROLE_NOT_FOUND');
  });

  it("should give new sign-ins the role's changed scopes, and audit old and new", async () => {
    const role = (
      await sut.http
        .post(ROLES)
        .set(...bearer(admin))
        .send({ name: 'readers', scopes: ['admin:audit:read'] })
    ).body as Role;
    const user = await registerUser(sut.http);
    await sut.http
      .put(`/api/v1/admin/users/${user.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['user', 'readers'] });
    const before = await login(sut.http, user.username, user.password);
    expect(before.scope).toContain('admin:audit:read');

    const patched = await sut.http
      .patch(`${ROLES}/${role.id}`)
      .set(...bearer(admin))
      .send({ scopes: ['admin:users:read'], description: 'Can read users' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      scopes: ['admin:users:read'],
      description: 'Can read users',
      user_count: 1,
    });
    // The old token carried the lost scope: its session ended with the change.
    expect((await sut.http.get('/api/v1/admin/audit').set(...bearer(before))).status).toBe(401);
    const scope = (await login(sut.http, user.username, user.password)).scope;
    expect(scope).toContain('admin:users:read');
    expect(scope).not.toContain('admin:audit:read');
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.role.updated' AND target_id = $1`,
      [role.id],
    );
    expect(event.details).toEqual({
      name: 'readers',
      changes: {
        description: { old: '', new: 'Can read users' },
        scopes: { old: ['admin:audit:read'], new: ['admin:users:read'] },
      },
      sessions_ended: 1,
    });
  });

  it("should refuse to change the admin role's scopes and to delete built-in roles", async () => {
    const adminRole = await roleNamed('admin');
    const scopes = await sut.http
      .patch(`${ROLES}/${adminRole.id}`)
      .set(...bearer(admin))
      .send({ scopes: ['openid'] });
    expect(scopes.status).toBe(409);
    expect(scopes.body.code).toBe('ROLE_BUILTIN');
    await sut.http
      .patch(`${ROLES}/${adminRole.id}`)
      .set(...bearer(admin))
      .send({ description: 'Everything' })
      .expect(200);
    for (const name of ['admin', 'user']) {
      const role = await roleNamed(name);
      const response = await sut.http.delete(`${ROLES}/${role.id}?force=true`).set(...bearer(admin));
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('ROLE_BUILTIN');
    }
  });

  it('should delete a role in use only with force=true, taking it from its users', async () => {
    const role = (
      await sut.http
        .post(ROLES)
        .set(...bearer(admin))
        .send({ name: 'temporary' })
    ).body as Role;
    const user = await registerUser(sut.http);
    await sut.http
      .put(`/api/v1/admin/users/${user.id}/roles`)
      .set(...bearer(admin))
      .send({ roles: ['user', 'temporary'] });
    const mirrored = async () =>
      (
        await queryDatabase<{ role_ids: string[]; linked: string[] }>(
          sut.databaseUrl,
          `SELECT role_ids, ARRAY(SELECT role_id FROM user_roles WHERE user_id = $1 ORDER BY role_id) AS linked
             FROM users WHERE id = $1`,
          [user.id],
        )
      )[0];
    const holders = await sut.http.get(`/api/v1/admin/users?role=temporary`).set(...bearer(admin));
    expect(holders.body.items.map((item: { id: string }) => item.id)).toEqual([user.id]);
    expect((await mirrored()).role_ids).toHaveLength(2);

    const inUse = await sut.http.delete(`${ROLES}/${role.id}`).set(...bearer(admin));
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('ROLE_IN_USE');
    const badForce = await sut.http.delete(`${ROLES}/${role.id}?force=yes`).set(...bearer(admin));
    expect(badForce.status).toBe(400);
    await sut.http
      .delete(`${ROLES}/${role.id}?force=true`)
      .set(...bearer(admin))
      .expect(204);
    const detail = await sut.http.get(`/api/v1/admin/users/${user.id}`).set(...bearer(admin));
    expect(detail.body.roles).toEqual(['user']);
    const afterDelete = await mirrored();
    expect(afterDelete.role_ids).toEqual(afterDelete.linked);
    expect(afterDelete.role_ids).toHaveLength(1);
    expect((await sut.http.get(`${ROLES}/${role.id}`).set(...bearer(admin))).status).toBe(404);

    const unused = (
      await sut.http
        .post(ROLES)
        .set(...bearer(admin))
        .send({ name: 'unused' })
    ).body as Role;
    await sut.http
      .delete(`${ROLES}/${unused.id}`)
      .set(...bearer(admin))
      .expect(204);
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.role.deleted' AND target_id = $1`,
      [role.id],
    );
    expect(event.details).toMatchObject({ name: 'temporary', removed_from_users: 1 });
  });
});
