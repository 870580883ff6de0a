import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminLogin } from '../helpers/admin.js';
import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens } from '../helpers/users.js';

const KEYS = '/api/v1/admin/keys';

describe('admin signing keys API', () => {
  let sut: TestApp;
  let admin: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    admin = await adminLogin(sut.http);
  });
  afterAll(() => sut.close());

  it('should answer 401 without a token and 403 INSUFFICIENT_SCOPE without the scope', async () => {
    expect((await sut.http.get(KEYS)).status).toBe(401);
    expect((await sut.http.post(`${KEYS}/rotate`)).status).toBe(401);
    const user = await registerUser(sut.http);
    const plain = await login(sut.http, user.username, user.password);
    const readOnly = await adminLogin(sut.http, 'openid admin:system:read');
    for (const [request, tokens] of [
      [() => sut.http.get(KEYS), plain],
      [() => sut.http.get(KEYS), await adminLogin(sut.http, 'openid admin:clients:read')],
      [() => sut.http.post(`${KEYS}/rotate`), plain],
      [() => sut.http.post(`${KEYS}/rotate`), readOnly],
    ] as const) {
      const response = await request().set(...bearer(tokens));
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('INSUFFICIENT_SCOPE');
    }
    await sut.http
      .get(KEYS)
      .set(...bearer(readOnly))
      .expect(200);
  });

  it('should list the active key without any private material', async () => {
    const response = await sut.http
      .get(KEYS)
      .set(...bearer(admin))
      .expect(200);
    expect(response.body).toMatchObject({ total: 1, has_more: false });
    const [key] = response.body.items;
    expect(key).toMatchObject({ alg: 'ES256', state: 'active', published: true, retired_at: null });
    expect(Object.keys(key).sort()).toEqual(
      ['alg', 'created_at', 'kid', 'published', 'published_until', 'retired_at', 'state'].sort(),
    );
    const jwks = await sut.http.get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys.map((jwk: { kid: string }) => jwk.kid)).toEqual([key.kid]);
  });

  it('should rotate: a new active key signs, the old one is retired but still published, audited', async () => {
    const before = (await sut.http.get(KEYS).set(...bearer(admin))).body.items[0];
    const rotated = await sut.http
      .post(`${KEYS}/rotate`)
      .set(...bearer(admin))
      .expect(201);
    expect(rotated.body).toMatchObject({ state: 'active', alg: 'ES256', published: true });
    expect(rotated.body.kid).not.toBe(before.kid);

    const list = await sut.http
      .get(KEYS)
      .set(...bearer(admin))
      .expect(200);
    expect(list.body.items.map((key: { kid: string }) => key.kid)).toEqual([rotated.body.kid, before.kid]);
    const retired = list.body.items[1];
    expect(retired).toMatchObject({ state: 'retired', published: true });
    expect(new Date(retired.published_until).getTime()).toBeGreaterThan(Date.now());

    const tokens = await adminLogin(sut.http);
    const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0], 'base64url').toString('utf8'));
    expect(header.kid).toBe(rotated.body.kid);
    // A token signed by the retired key still works.
    await sut.http
      .get(KEYS)
      .set(...bearer(admin))
      .expect(200);

    const [event] = await queryDatabase(
      sut.databaseUrl,
      `SELECT actor_id, details FROM audit_events WHERE action = 'admin.key.rotated' AND target_id = $1`,
      [rotated.body.kid],
    );
    expect(event.details).toEqual({ previous_kid: before.kid });

    const page = await sut.http
      .get(KEYS)
      .query({ limit: 1 })
      .set(...bearer(admin))
      .expect(200);
    const next = await sut.http
      .get(KEYS)
      .query({ limit: 1, cursor: page.body.next_cursor })
      .set(...bearer(admin))
      .expect(200);
    expect(next.body.items[0].kid).toBe(before.kid);
  });

  it('should answer 400 for unknown or out-of-range query parameters', async () => {
    for (const query of [{ limit: 0 }, { state: 'active' }, { cursor: 'garbage' }]) {
      const response = await sut.http
        .get(KEYS)
        .query(query)
        .set(...bearer(admin));
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
