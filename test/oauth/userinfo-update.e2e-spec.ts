import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { createClient, type TestClient } from './support/clients.js';
import { codeFlowTokens } from './support/tokens.js';

const REDIRECT_URI = 'https://profile.example.test/cb';
const USERINFO = '/api/v1/oidc/userinfo';

describe('PUT /api/v1/oidc/userinfo', () => {
  let sut: TestApp;
  let client: TestClient;
  let user: TestUser;

  beforeAll(async () => {
    sut = await startTestApp();
    client = await createClient(sut, {
      type: 'confidential',
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'email', 'phone', 'address'],
    });
    user = await registerUser(sut.http);
  });
  afterAll(() => sut.close());

  it('should change the claims the granted scopes cover and answer the released claims', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid profile phone');
    const response = await sut.http
      .put(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ given_name: 'Ada', family_name: 'Lovelace', locale: 'en-GB', phone_number: '+44 20 7946 0000' })
      .expect(200);
    expect(response.body).toMatchObject({
      sub: user.id,
      given_name: 'Ada',
      family_name: 'Lovelace',
      locale: 'en-GB',
      phone_number: '+44 20 7946 0000',
    });
    expect(response.body.email).toBeUndefined();
    const read = await sut.http
      .get(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    expect(read.body.given_name).toBe('Ada');
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('user.profile.updated');

    const cleared = await sut.http
      .put(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ locale: null });
    expect(cleared.body.locale).toBeUndefined();
  });

  it('should clear phone_number_verified when the number changes', async () => {
    const owner = await registerUser(sut.http);
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE users SET phone_number = '+1 555 0100', phone_number_verified = true WHERE id = $1`,
      [owner.id],
    );
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, owner, 'openid phone');
    const unchanged = await sut.http
      .put(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ phone_number: '+1 555 0100' })
      .expect(200);
    expect(unchanged.body.phone_number_verified).toBe(true);
    const changed = await sut.http
      .put(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ phone_number: '+1 555 0199' })
      .expect(200);
    expect(changed.body).toMatchObject({ phone_number: '+1 555 0199', phone_number_verified: false });
  });

  it('should answer 400 for a claim the scopes do not cover, or one nobody may change', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid profile');
    for (const body of [
      { phone_number: '+1 555 0100' },
      { email: 'new@example.test' },
      { sub: 'x' },
      { email_verified: true },
    ]) {
      const response = await sut.http
        .put(USERINFO)
        .set('Authorization', `Bearer ${tokens.access_token}`)
        .send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('CLAIMS_NOT_GRANTED');
    }
    const invalid = await sut.http
      .put(USERINFO)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({ website: 'not a url' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
  });

  it('should answer 401 without a valid access token', async () => {
    const response = await sut.http.put(USERINFO).set('Authorization', 'Bearer nope').send({ name: 'x' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('invalid_token');
  });
});
