import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';

const USERS = '/api/v1/admin/users';

interface Item {
  id: string;
  username: string;
  email: string;
  family_name: string | null;
  created_at: string;
  last_login_at: string | null;
  roles: string[];
  locked: boolean;
  active_session_count: number;
}

describe('admin users list', () => {
  let sut: TestApp;
  let admin: TestTokens;
  const people: TestUser[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
    const families = ['Lovelace', 'Hopper', 'Turing', 'Noether', 'Curie', null];
    for (let index = 0; index < 12; index++) {
      const user = await registerUser(sut.http, { username: `member_${index}_${Date.now() % 100000}` });
      people.push(user);
      const family = families[index % families.length];
      await queryDatabase(
        sut.databaseUrl,
        `UPDATE users SET family_name = $2, given_name = $3, created_at = now() - make_interval(days => $4),
                locale = $5, zoneinfo = $6, is_active = $7, email_verified = $8 WHERE id = $1`,
        [
          user.id,
          family,
          index === 3 ? 'Grace' : `Given${index}`,
          index + 1,
          index % 2 === 0 ? 'en-GB' : 'fr-FR',
          index % 3 === 0 ? 'Europe/Paris' : 'Europe/London',
          index !== 5,
          index % 4 === 0,
        ],
      );
    }
  });
  afterAll(() => sut.close());

  const list = async (
    query: string,
  ): Promise<{ items: Item[]; total?: number; next_cursor: string | null; has_more: boolean }> => {
    const response = await sut.http.get(`${USERS}?${query}`).set(...bearer(admin));
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without admin:users:read', async () => {
    expect((await sut.http.get(USERS)).status).toBe(401);
    const userTokens = await login(sut.http, people[0].username, people[0].password);
    const forbidden = await sut.http.get(USERS).set(...bearer(userTokens));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('INSUFFICIENT_SCOPE');
    const openidOnly = await adminLogin(sut.http, 'openid');
    expect((await sut.http.get(USERS).set(...bearer(openidOnly))).body.code).toBe('INSUFFICIENT_SCOPE');
    const readOnly = await adminLogin(sut.http, 'admin:users:read');
    await sut.http
      .get(USERS)
      .set(...bearer(readOnly))
      .expect(200);
  });

  it('should answer the page shape with total, roles and the live session count of each user', async () => {
    await login(sut.http, people[1].username, people[1].password);
    await login(sut.http, people[1].username, people[1].password);
    const ended = await login(sut.http, people[1].username, people[1].password);
    await sut.http
      .post('/api/v1/auth/logout')
      .set(...bearer(ended))
      .expect(204);

    const page = await list('limit=100');
    expect(page).toMatchObject({ total: 13, has_more: false, next_cursor: null, limit: 100, offset: 0 });
    const counted = page.items.find((item) => item.id === people[1].id)!;
    expect(counted.active_session_count).toBe(2);
    expect(counted.roles).toEqual(['user']);
    expect(page.items.find((item) => item.username === 'admin')!.roles).toEqual(['admin']);
    expect(JSON.stringify(page)).not.toMatch(/password_hash|\$2[aby]\$/);
  });

  it('should search case-insensitively over username, e-mail, given and family name', async () => {
    expect((await list('search=LOVEL')).items.map((item) => item.family_name)).toEqual([
      'Lovelace',
      'Lovelace',
    ]);
    expect((await list('search=grace')).items.map((item) => item.id)).toEqual([people[3].id]);
    expect((await list(`search=${people[7].email.toUpperCase()}`)).items.map((item) => item.id)).toEqual([
      people[7].id,
    ]);
    expect((await list('search=%25')).total).toBe(0);
    expect((await list('search=member_1')).items.length).toBeGreaterThanOrEqual(3);
  });

  it('should filter by flags, role, dates, locale and zoneinfo', async () => {
    expect((await list('is_active=false')).items.map((item) => item.id)).toEqual([people[5].id]);
    expect((await list('email_verified=true&role=user')).total).toBe(3);
    expect((await list('role=admin')).items.map((item) => item.username)).toEqual(['admin']);
    expect((await list('role=nobody')).total).toBe(0);
    const cutoff = new Date(Date.now() - 4.5 * 86_400_000).toISOString();
    expect((await list(`created_before=${cutoff}&role=user`)).total).toBe(8);
    expect((await list(`created_after=${cutoff}&role=user`)).total).toBe(4);
    expect((await list('locale=fr-FR&zoneinfo=Europe%2FParis')).total).toBe(2);
    expect((await list('requires_password_change=true')).total).toBe(0);
    const recentLogins = await list(`last_login_after=${new Date(Date.now() - 60_000).toISOString()}`);
    expect(recentLogins.items.map((item) => item.username)).toEqual(expect.arrayContaining(['admin']));
    expect((await list(`last_login_before=${new Date(Date.now() - 60_000).toISOString()}`)).total).toBe(0);
  });

  it('should filter on the lockout state and show it on the items', async () => {
    const target = people[9];
    for (let attempt = 0; attempt < 5; attempt++) {
      await sut.http
        .post('/api/v1/auth/login')
        .send({ username: target.username, password: 'wrong password!!' });
    }
    const locked = await list('is_locked=true');
    expect(locked.items.map((item) => item.id)).toEqual([target.id]);
    expect(locked.items[0].locked).toBe(true);
    expect((await list('is_locked=false')).total).toBe(12);
  });

  it('should show a lock made through the e-mail on its user, in the column and the filter', async () => {
    const target = people[8];
    for (let attempt = 0; attempt < 5; attempt++) {
      await sut.http
        .post('/api/v1/auth/login')
        .send({ username: target.email, password: 'wrong password!!' });
    }
    const locked = await list('is_locked=true');
    expect(locked.items.map((item) => item.id).sort()).toEqual([people[8].id, people[9].id].sort());
    expect(locked.items.every((item) => item.locked)).toBe(true);
    expect((await list('is_locked=false')).total).toBe(11);
    expect((await list(`search=${target.username}`)).items[0].locked).toBe(true);
    // Give people[8] back, so the other cases see one lock only.
    expect((await sut.http.post(`${USERS}/${target.id}/unlock`).set(...bearer(admin))).status).toBe(200);
    expect((await list('is_locked=true')).items.map((item) => item.id)).toEqual([people[9].id]);
  });

  it('should sort by each whitelisted field both ways', async () => {
    const byFamily = (await list('sort=family_name&order=asc&limit=100')).items.map(
      (item) => item.family_name,
    );
    const named = byFamily.filter((name) => name !== null);
    expect(named).toEqual([...named].sort());
    expect(byFamily.slice(named.length).every((name) => name === null)).toBe(true);
    const byUsernameDesc = (await list('sort=username&order=desc&limit=100')).items.map(
      (item) => item.username,
    );
    expect(byUsernameDesc).toEqual([...byUsernameDesc].sort().reverse());
    const byCreated = (await list('limit=100')).items.map((item) => item.created_at);
    expect(byCreated).toEqual([...byCreated].sort().reverse());
    const byEmail = (await list('sort=email&limit=100&order=asc')).items.map((item) => item.email);
    expect(byEmail).toEqual([...byEmail].sort());
  });

  it.each(['created_at', 'username', 'email', 'last_login_at', 'family_name'])(
    'should walk every page by cursor in the order of the offset pages when sorting by %s',
    async (sort) => {
      for (const order of ['asc', 'desc']) {
        const byOffset: string[] = [];
        for (let offset = 0; offset < 13; offset += 4) {
          byOffset.push(
            ...(await list(`sort=${sort}&order=${order}&limit=4&offset=${offset}`)).items.map(
              (item) => item.id,
            ),
          );
        }
        const byCursor: string[] = [];
        let page = await list(`sort=${sort}&order=${order}&limit=4`);
        byCursor.push(...page.items.map((item) => item.id));
        while (page.next_cursor) {
          page = await list(`sort=${sort}&order=${order}&limit=4&cursor=${page.next_cursor}`);
          expect(page.total).toBeUndefined();
          byCursor.push(...page.items.map((item) => item.id));
        }
        expect(byCursor).toHaveLength(13);
        expect(byCursor).toEqual(byOffset);
      }
    },
  );

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['offset=-1', 'offset'],
    ['sort=password_hash', 'sort'],
    ['order=up', 'order'],
    ['is_active=yes', 'is_active'],
    ['created_after=yesterday', 'created_after'],
    ['created_before=2025-02-30T00:00:00Z', 'created_before'],
    ['unknown=1', 'unknown'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('should answer 400 with a field error for %s', async (query, field) => {
    const response = await sut.http.get(`${USERS}?${query}`).set(...bearer(admin));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('should refuse a cursor made for another sort', async () => {
    const page = await list('limit=2');
    const response = await sut.http
      .get(`${USERS}?limit=2&sort=username&cursor=${page.next_cursor}`)
      .set(...bearer(admin));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('cursor');
    const forged = Buffer.from(
      JSON.stringify({ s: 'created_at', o: 'desc', v: 'garbage', n: 0, id: people[0].id }),
    ).toString('base64url');
    const tampered = await sut.http.get(`${USERS}?cursor=${forged}`).set(...bearer(admin));
    expect(tampered.status).toBe(400);
  });
});
