import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';
import { authorizeUrl, follow, newBrowser, pkce, submit } from '../oauth/support/authorization-flow.js';

const SCOPES = '/api/v1/admin/scopes';
const CLIENTS = '/api/v1/admin/clients';
const REDIRECT_URI = 'https://rp.example.test/cb';

describe('admin scopes API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  async function createScope(name: string, description = `About ${name}`) {
    const response = await sut.http
      .post(SCOPES)
      .set(...bearer(admin))
      .send({ name, description });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without the scope, on every route', async () => {
    const user = await registerUser(sut.http);
    const plain = await login(sut.http, user.username, user.password);
    const readOnly = await adminLogin(sut.http, 'openid admin:scopes:read');
    const openid = await adminLogin(sut.http, 'openid');
    const routes: [string, string, TestTokens[]][] = [
      ['get', SCOPES, [plain, openid]],
      ['get', `${SCOPES}/openid`, [plain, openid]],
      ['post', SCOPES, [plain, openid, readOnly]],
      ['patch', `${SCOPES}/openid`, [plain, openid, readOnly]],
      ['delete', `${SCOPES}/openid`, [plain, openid, readOnly]],
    ];
    for (const [method, path, forbidden] of routes) {
      const call = (tokens?: TestTokens) => {
        const pending = (sut.http as unknown as Record<string, (path: string) => import('supertest').Test>)[
          method
        ](path);
        return tokens ? pending.set(...bearer(tokens)) : pending;
      };
      expect((await call()).status, `${method} ${path}`).toBe(401);
      for (const tokens of forbidden) {
        const response = await call(tokens);
        expect(response.status, `${method} ${path} ${tokens.scope}`).toBe(403);
        expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
      }
    }
  });

  it('should create, get, change and list a custom scope, each change audited', async () => {
    const created = await createScope('photos:read', 'See your photos');
    expect(created).toMatchObject({ name: 'photos:read', description: 'See your photos', is_builtin: false });
    const fetched = await sut.http
      .get(`${SCOPES}/${encodeURIComponent('photos:read')}`)
      .set(...bearer(admin))
      .expect(200);
    expect(fetched.body.name).toBe('photos:read');

    const changed = await sut.http
      .patch(`${SCOPES}/photos:read`)
      .set(...bearer(admin))
      .send({ description: 'See and download your photos' })
      .expect(200);
    expect(changed.body.description).toBe('See and download your photos');
    const events = await queryDatabase(
      sut.databaseUrl,
      `SELECT action, details FROM audit_events WHERE target_type = 'scope' AND target_id = $1 ORDER BY sequence`,
      ['photos:read'],
    );
    expect(events.map((event) => event.action)).toEqual(['admin.scope.created', 'admin.scope.updated']);
    expect(events[1].details.changes).toEqual({
      description: { old: 'See your photos', new: 'See and download your photos' },
    });

    const custom = await sut.http
      .get(SCOPES)
      .query({ is_builtin: 'false', search: 'PHOTOS' })
      .set(...bearer(admin))
      .expect(200);
    expect(custom.body).toMatchObject({ total: 1, has_more: false });
    expect(custom.body.items[0].name).toBe('photos:read');
  });

  it('should page the list by offset and by cursor in name order', async () => {
    const first = await sut.http
      .get(SCOPES)
      .query({ limit: 5 })
      .set(...bearer(admin))
      .expect(200);
    expect(first.body.total).toBeGreaterThanOrEqual(17);
    const names = first.body.items.map((scope: { name: string }) => scope.name);
    expect(names).toEqual([...names].sort());
    const second = await sut.http
      .get(SCOPES)
      .query({ limit: 5, cursor: first.body.next_cursor })
      .set(...bearer(admin))
      .expect(200);
    const byOffset = await sut.http
      .get(SCOPES)
      .query({ limit: 5, offset: 5 })
      .set(...bearer(admin))
      .expect(200);
    expect(second.body.items).toEqual(byOffset.body.items);
    expect(second.body.total).toBeUndefined();
    for (const query of [{ sort: 'description' }, { limit: 1000 }, { is_builtin: 'yes' }, { extra: '1' }]) {
      const response = await sut.http
        .get(SCOPES)
        .query(query)
        .set(...bearer(admin));
      expect(response.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('should refuse bad names (400), reserved admin: names (400) and taken names (409 SCOPE_TAKEN)', async () => {
    for (const body of [
      { name: 'has space' },
      { name: 'quote"d' },
      { name: '' },
      { name: 'admin:everything' },
      { name: 'ok:scope', description: 'x'.repeat(501) },
      { name: 'ok:scope', is_builtin: true },
      { description: 'no name' },
    ]) {
      const response = await sut.http
        .post(SCOPES)
        .set(...bearer(admin))
        .send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const taken = await sut.http
      .post(SCOPES)
      .set(...bearer(admin))
      .send({ name: 'email' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SCOPE_TAKEN');
  });

  it('should refuse to change or delete a built-in scope with 409 SCOPE_BUILTIN', async () => {
    for (const name of [
      'openid',
      'profile',
      'email',
      'address',
      'phone',
      'offline_access',
      'admin:users:read',
    ]) {
      const deleted = await sut.http.delete(`${SCOPES}/${name}`).set(...bearer(admin));
      expect(deleted.status, name).toBe(409);
      expect(deleted.body.code).toBe('SCOPE_BUILTIN');
    }
    const changed = await sut.http
      .patch(`${SCOPES}/openid`)
      .set(...bearer(admin))
      .send({ description: 'Something else' });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('SCOPE_BUILTIN');
  });

  it('should answer 404 SCOPE_NOT_FOUND for an unknown scope', async () => {
    for (const call of [
      sut.http.get(`${SCOPES}/nope:nope`),
      sut.http.patch(`${SCOPES}/nope:nope`).send({ description: 'x' }),
      sut.http.delete(`${SCOPES}/nope:nope`),
    ]) {
      const response = await call.set(...bearer(admin));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('SCOPE_NOT_FOUND');
    }
  });

  it('should show a new scope on the consent page and take a deleted one away from its clients', async () => {
    await createScope('notes:read', 'Read your notes');
    const client = await sut.http
      .post(CLIENTS)
      .set(...bearer(admin))
      .send({
        client_id: 'notes-app',
        name: 'Notes',
        type: 'confidential',
        redirect_uris: [REDIRECT_URI],
        scopes: ['openid', 'notes:read'],
      })
      .expect(201);
    const user = await registerUser(sut.http);
    const browser = newBrowser(sut);
    const loginPage = await follow(
      browser,
      authorizeUrl({
        clientId: client.body.client_id,
        redirectUri: REDIRECT_URI,
        scope: 'openid notes:read',
        pkce: pkce(),
      }),
      REDIRECT_URI,
    );
    const consent = await submit(
      browser,
      loginPage.text,
      { username: user.username, password: user.password },
      REDIRECT_URI,
    );
    expect(consent.text).toContain('Read your notes');
    const before = await sut.http.get('/.well-known/openid-configuration').expect(200);
    expect(before.body.scopes_supported).toContain('notes:read');
    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, 'notes-app', '{openid,notes:read}')`,
      [user.id],
    );

    await sut.http
      .delete(`${SCOPES}/notes:read`)
      .set(...bearer(admin))
      .expect(204);
    const after = await sut.http
      .get(`${CLIENTS}/notes-app`)
      .set(...bearer(admin))
      .expect(200);
    expect(after.body.scopes).toEqual(['openid']);
    const [consentRow] = await queryDatabase(
      sut.databaseUrl,
      `SELECT scopes FROM oauth_consents WHERE client_id = 'notes-app'`,
    );
    expect(consentRow.scopes).toEqual(['openid']);
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.scope.deleted' AND target_id = 'notes:read'`,
    );
    expect(event.details).toMatchObject({ removed_from_clients: ['notes-app'] });
    await sut.http
      .get(`${SCOPES}/notes:read`)
      .set(...bearer(admin))
      .expect(404);

    // The provider was rebuilt without it.
    const discovery = await sut.http.get('/.well-known/openid-configuration').expect(200);
    expect(discovery.body.scopes_supported).not.toContain('notes:read');
  });
});
