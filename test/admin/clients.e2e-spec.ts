import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';
import { basicAuth } from '../oauth/support/clients.js';
import { codeFlowTokens } from '../oauth/support/tokens.js';

const CLIENTS = '/api/v1/admin/clients';
const TOKEN = '/api/v1/oauth/token';
const INTROSPECT = '/api/v1/oauth/introspect';
const REDIRECT_URI = 'https://rp.example.test/cb';

describe('admin clients API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  async function createClient(body: Record<string, unknown>) {
    const response = await sut.http
      .post(CLIENTS)
      .set(...bearer(admin))
      .send(body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { client_id: string; client_secret: string | null } & Record<string, unknown>;
  }

  function machineClient(clientId: string) {
    return createClient({
      client_id: clientId,
      name: `Machine ${clientId}`,
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes: ['admin:users:read'],
    });
  }

  function clientCredentials(client: { client_id: string; client_secret: string | null }) {
    return sut.http
      .post(TOKEN)
      .set('Authorization', basicAuth({ clientId: client.client_id, clientSecret: client.client_secret }))
      .type('form')
      .send({ grant_type: 'client_credentials' });
  }

  async function introspect(token: string, as: { client_id: string; client_secret: string | null }) {
    return sut.http
      .post(INTROSPECT)
      .set('Authorization', basicAuth({ clientId: as.client_id, clientSecret: as.client_secret }))
      .type('form')
      .send({ token });
  }

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without the scope, on every route', async () => {
    const user = await registerUser(sut.http);
    const plain = await login(sut.http, user.username, user.password);
    const readOnly = await adminLogin(sut.http, 'openid admin:clients:read');
    const openid = await adminLogin(sut.http, 'openid');
    const routes: [string, string, TestTokens[]][] = [
      ['get', CLIENTS, [plain, openid]],
      ['get', `${CLIENTS}/some-client`, [plain, openid]],
      ['post', CLIENTS, [plain, openid, readOnly]],
      ['patch', `${CLIENTS}/some-client`, [plain, openid, readOnly]],
      ['delete', `${CLIENTS}/some-client`, [plain, openid, readOnly]],
      ['post', `${CLIENTS}/some-client/rotate-secret`, [plain, openid, readOnly]],
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

  it('should create a confidential client, answer its secret once, keep only a digest and audit it', async () => {
    const created = await createClient({
      client_id: 'calendar-app',
      name: 'Calendar',
      type: 'confidential',
      redirect_uris: ['https://calendar.example/cb'],
      scopes: ['openid', 'profile'],
    });
    expect(created).toMatchObject({
      client_id: 'calendar-app',
      name: 'Calendar',
      type: 'confidential',
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
      is_active: true,
      skip_consent: false,
      access_token_ttl: null,
    });
    expect(created.client_secret).toEqual(expect.any(String));
    const [row] = await queryDatabase(sut.databaseUrl, `SELECT * FROM oauth_clients WHERE client_id = $1`, [
      'calendar-app',
    ]);
    expect(JSON.stringify(row)).not.toContain(created.client_secret);

    const fetched = await sut.http
      .get(`${CLIENTS}/calendar-app`)
      .set(...bearer(admin))
      .expect(200);
    expect(fetched.body.client_secret).toBeUndefined();
    expect(fetched.body.redirect_uris).toEqual(['https://calendar.example/cb']);

    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT actor_id, details, request_id FROM audit_events WHERE action = 'admin.client.created' AND target_id = $1`,
      ['calendar-app'],
    );
    expect(event.actor_id).toEqual(expect.any(String));
    expect(event.request_id).toEqual(expect.any(String));
    expect(event.details.settings).toMatchObject({ name: 'Calendar', scopes: ['openid', 'profile'] });
    expect(JSON.stringify(event)).not.toContain(created.client_secret);
  });

  it('should create a public client without a secret and generate a client id when none is given', async () => {
    const created = await createClient({
      name: 'Mobile',
      type: 'public',
      redirect_uris: ['com.example.app:/cb'],
    });
    expect(created.client_id).toMatch(/^[A-Za-z0-9_-]{10,}$/);
    expect(created.client_secret).toBeNull();
    expect(created.token_endpoint_auth_method).toBe('none');
  });

  it('should answer 400 with field errors for invalid, unknown or out-of-range fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', type: 'confidential', colour: 'red' }, 'colour'],
      [{ name: 'x', type: 'weird' }, 'type'],
      [{ type: 'confidential' }, 'name'],
      [{ name: 'x', type: 'confidential', grant_types: ['password'] }, 'grant_types'],
      [
        { name: 'x', type: 'confidential', grant_types: ['client_credentials'], access_token_ttl: 0 },
        'access_token_ttl',
      ],
      [
        { name: 'x', type: 'confidential', grant_types: ['client_credentials'], access_token_ttl: 1.5 },
        'access_token_ttl',
      ],
      [{ name: 'x', type: 'confidential', redirect_uris: ['https://a.example/cb#frag'] }, 'redirect_uris'],
      [{ name: 'x', type: 'confidential', redirect_uris: 'https://a.example/cb' }, 'redirect_uris'],
      [{ name: 'x', type: 'public', grant_types: ['client_credentials'] }, 'grant_types'],
      [
        { name: 'x', type: 'confidential', grant_types: ['client_credentials'], scopes: ['nope:nope'] },
        'scopes',
      ],
      [{ name: 'x', type: 'confidential', client_id: 'bad id!' }, 'client_id'],
      [{ name: 'x', type: 'confidential', token_endpoint_auth_method: 'private_key_jwt' }, 'jwks'],
      [{ name: 'x', type: 'confidential', jwks: { keys: [{ kty: 'EC', d: 'private' }] } }, 'jwks'],
    ];
    for (const [body, field] of cases) {
      const response = await sut.http
        .post(CLIENTS)
        .set(...bearer(admin))
        .send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(
        response.body.errors.map((error: { field: string }) => error.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it('should answer 409 CLIENT_ID_TAKEN for a taken or reserved client id', async () => {
    await machineClient('taken-client');
    for (const clientId of ['taken-client', 'portcullis']) {
      const response = await sut.http
        .post(CLIENTS)
        .set(...bearer(admin))
        .send({
          client_id: clientId,
          name: 'Again',
          type: 'confidential',
          grant_types: ['client_credentials'],
        });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('CLIENT_ID_TAKEN');
    }
  });

  it('should answer 404 CLIENT_NOT_FOUND for an unknown client on every route', async () => {
    const calls = [
      sut.http.get(`${CLIENTS}/no-such-client`),
      sut.http.patch(`${CLIENTS}/no-such-client`).send({ name: 'x' }),
      sut.http.delete(`${CLIENTS}/no-such-client`),
      sut.http.post(`${CLIENTS}/no-such-client/rotate-secret`),
    ];
    for (const call of calls) {
      const response = await call.set(...bearer(admin));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('CLIENT_NOT_FOUND');
    }
  });

  it('should issue client_credentials tokens to a client created through the admin API', async () => {
    const client = await machineClient('machine-works');
    const response = await clientCredentials(client);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.access_token).toEqual(expect.any(String));
  });

  it('should rotate the secret: the new one works, the old one is invalid_client at once', async () => {
    const client = await machineClient('machine-rotated');
    await clientCredentials(client).expect(200);
    const rotated = await sut.http
      .post(`${CLIENTS}/machine-rotated/rotate-secret`)
      .set(...bearer(admin))
      .expect(200);
    expect(rotated.headers['cache-control']).toContain('no-store');
    expect(rotated.body.client_id).toBe('machine-rotated');
    expect(rotated.body.client_secret).not.toBe(client.client_secret);

    const old = await clientCredentials(client);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    await clientCredentials({ ...client, client_secret: rotated.body.client_secret }).expect(200);

    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.client.secret_rotated' AND target_id = $1`,
      ['machine-rotated'],
    );
    expect(JSON.stringify(event)).not.toContain(rotated.body.client_secret);
  });

  it('should refuse to rotate the secret of a client without one', async () => {
    const mobile = await createClient({
      name: 'Public',
      type: 'public',
      redirect_uris: ['https://p.example/cb'],
    });
    const response = await sut.http
      .post(`${CLIENTS}/${mobile.client_id}/rotate-secret`)
      .set(...bearer(admin));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('INVALID_CLIENT_METADATA');
  });

  it('should change only the fields sent, audit old and new values, and refuse null for required fields', async () => {
    await machineClient('machine-patched');
    const response = await sut.http
      .patch(`${CLIENTS}/machine-patched`)
      .set(...bearer(admin))
      .send({ name: 'Renamed', access_token_ttl: 120, scopes: ['admin:users:read', 'admin:audit:read'] })
      .expect(200);
    expect(response.body).toMatchObject({
      name: 'Renamed',
      access_token_ttl: 120,
      grant_types: ['client_credentials'],
      scopes: ['admin:users:read', 'admin:audit:read'],
    });
    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT details FROM audit_events WHERE action = 'admin.client.updated' AND target_id = $1`,
      ['machine-patched'],
    );
    expect(event.details.changes).toEqual({
      name: { old: 'Machine machine-patched', new: 'Renamed' },
      access_token_ttl: { old: null, new: 120 },
      scopes: { old: ['admin:users:read'], new: ['admin:users:read', 'admin:audit:read'] },
    });

    const reset = await sut.http
      .patch(`${CLIENTS}/machine-patched`)
      .set(...bearer(admin))
      .send({ access_token_ttl: null })
      .expect(200);
    expect(reset.body.access_token_ttl).toBeNull();

    for (const body of [
      { name: null },
      { client_id: 'other' },
      { type: 'public' },
      { grant_types: ['implicit'] },
    ]) {
      const refused = await sut.http
        .patch(`${CLIENTS}/machine-patched`)
        .set(...bearer(admin))
        .send(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('should refuse a deactivated client everywhere and revoke what it was issued', async () => {
    const created = await createClient({
      client_id: 'web-deactivated',
      name: 'Web app',
      type: 'confidential',
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'offline_access'],
    });
    const client = { clientId: created.client_id, clientSecret: created.client_secret };
    const user = await registerUser(sut.http);
    const opaque = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid profile offline_access');
    const forApi = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid profile', {
      resource: `${sut.config.issuer}/api`,
    });
    expect((await introspect(opaque.access_token, created)).body.active).toBe(true);
    await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forApi.access_token}`).expect(200);

    await sut.http
      .patch(`${CLIENTS}/web-deactivated`)
      .set(...bearer(admin))
      .send({ is_active: false })
      .expect(200);
    const refused = await sut.http
      .post(TOKEN)
      .set('Authorization', basicAuth(client))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: opaque.refresh_token });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    // Deactivation deleted the record of the API's JWT: the guard refuses it on every request.
    const api = await sut.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forApi.access_token}`);
    expect(api.status).toBe(401);
    expect(api.body.code).toBe('TOKEN_REVOKED');

    // Reactivated, it starts from nothing: what it held was revoked, not suspended.
    await sut.http
      .patch(`${CLIENTS}/web-deactivated`)
      .set(...bearer(admin))
      .send({ is_active: true })
      .expect(200);
    expect((await introspect(opaque.access_token, created)).body).toEqual({ active: false });
    const again = await sut.http
      .post(TOKEN)
      .set('Authorization', basicAuth(client))
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: opaque.refresh_token });
    expect(again.body.error).toBe('invalid_grant');
  });

  it('should delete a client with its tokens, grants and consents, audited', async () => {
    const client = await machineClient('machine-deleted');
    const token = (await clientCredentials(client).expect(200)).body.access_token as string;
    const user = await registerUser(sut.http);
    await queryDatabase(
      sut.databaseUrl,
      `INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, $2, '{openid}')`,
      [user.id, 'machine-deleted'],
    );

    await sut.http
      .delete(`${CLIENTS}/machine-deleted`)
      .set(...bearer(admin))
      .expect(204);
    await sut.http
      .get(`${CLIENTS}/machine-deleted`)
      .set(...bearer(admin))
      .expect(404);
    const refused = await clientCredentials(client);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    const [left] = await queryDatabase(
      sut.databaseUrl,
      `SELECT (SELECT count(*)::int FROM oidc_payloads WHERE payload->>'clientId' = $1) AS records,
              (SELECT count(*)::int FROM oauth_consents WHERE client_id = $1) AS consents,
              (SELECT count(*)::int FROM audit_events WHERE action = 'admin.client.deleted' AND target_id = $1) AS events`,
      ['machine-deleted'],
    );
    expect(left).toEqual({ records: 0, consents: 0, events: 1 });
    expect(token).toEqual(expect.any(String));
  });

  it('should list clients paged by offset and by cursor, filtered, searched and sorted', async () => {
    for (const suffix of ['a', 'b', 'c']) await machineClient(`listed-${suffix}`);
    await sut.http
      .patch(`${CLIENTS}/listed-b`)
      .set(...bearer(admin))
      .send({ is_active: false })
      .expect(200);

    const searched = await sut.http
      .get(CLIENTS)
      .query({ search: 'LISTED-', sort: 'client_id', limit: 2 })
      .set(...bearer(admin))
      .expect(200);
    expect(searched.body).toMatchObject({ total: 3, limit: 2, offset: 0, has_more: true });
    expect(searched.body.items.map((item: { client_id: string }) => item.client_id)).toEqual([
      'listed-a',
      'listed-b',
    ]);
    const next = await sut.http
      .get(CLIENTS)
      .query({ search: 'listed-', sort: 'client_id', limit: 2, cursor: searched.body.next_cursor })
      .set(...bearer(admin))
      .expect(200);
    expect(next.body.items.map((item: { client_id: string }) => item.client_id)).toEqual(['listed-c']);
    expect(next.body).toMatchObject({ has_more: false, next_cursor: null });

    const inactive = await sut.http
      .get(CLIENTS)
      .query({ search: 'listed', is_active: 'false' })
      .set(...bearer(admin))
      .expect(200);
    expect(inactive.body.items.map((item: { client_id: string }) => item.client_id)).toEqual(['listed-b']);

    const newestFirst = await sut.http
      .get(CLIENTS)
      .query({ search: 'listed', limit: 1 })
      .set(...bearer(admin))
      .expect(200);
    expect(newestFirst.body.items[0].client_id).toBe('listed-c');
    const byDate = await sut.http
      .get(CLIENTS)
      .query({ search: 'listed', limit: 1, cursor: newestFirst.body.next_cursor })
      .set(...bearer(admin))
      .expect(200);
    expect(byDate.body.items[0].client_id).toBe('listed-b');

    const mismatched = await sut.http
      .get(CLIENTS)
      .query({ sort: 'name', cursor: newestFirst.body.next_cursor })
      .set(...bearer(admin));
    expect(mismatched.status).toBe(400);

    for (const query of [
      { sort: 'client_secret_digest' },
      { limit: 0 },
      { limit: 101 },
      { offset: -1 },
      { is_active: 'maybe' },
      { type: 'other' },
      { unknown: 'x' },
      { cursor: 'garbage' },
    ]) {
      const response = await sut.http
        .get(CLIENTS)
        .query(query)
        .set(...bearer(admin));
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
