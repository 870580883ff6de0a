import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestTokens, type TestUser } from '../helpers/users.js';
import { authorizeUrl, follow, pkce } from '../oauth/support/authorization-flow.js';
import { codeFlowClient, createClient, type TestClient } from '../oauth/support/clients.js';
import { codeFlowTokens, refreshTokens } from '../oauth/support/tokens.js';

const REDIRECT_URI = 'https://consents.example.test/cb';
const CONSENTS = '/api/v1/auth/me/consents';

describe('GET and DELETE /api/v1/auth/me/consents', () => {
  let sut: TestApp;
  let calendar: TestClient;
  let notes: TestClient;
  let user: TestUser;
  let own: TestTokens;

  beforeAll(async () => {
    sut = await startTestApp();
    calendar = await createClient(sut, { ...codeFlowClient(REDIRECT_URI), name: 'Calendar' });
    notes = await createClient(sut, { ...codeFlowClient(REDIRECT_URI), name: 'Notes' });
    user = await registerUser(sut.http);
    own = await login(sut.http, user.username, user.password);
  });
  afterAll(() => sut.close());

  const list = (tokens: { access_token: string } = own) => sut.http.get(CONSENTS).set(...bearer(tokens));

  it('should list the clients the user allowed, with their scopes and dates, latest first', async () => {
    const before = Date.now();
    await codeFlowTokens(sut, calendar, REDIRECT_URI, user, 'openid profile');
    await codeFlowTokens(sut, notes, REDIRECT_URI, user, 'openid email');
    await codeFlowTokens(sut, calendar, REDIRECT_URI, user, 'openid email'); // allows calendar more
    const response = await list().expect(200);
    expect(response.body.items).toEqual([
      {
        client_id: calendar.clientId,
        client_name: 'Calendar',
        scopes: ['email', 'openid', 'profile'],
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
      expect.objectContaining({
        client_id: notes.clientId,
        client_name: 'Notes',
        scopes: ['email', 'openid'],
      }),
    ]);
    const [first] = response.body.items as { created_at: string; updated_at: string }[];
    expect(Date.parse(first.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(first.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.created_at));
  });

  it("should show another user none of this user's consents", async () => {
    const other = await registerUser(sut.http);
    const tokens = await login(sut.http, other.username, other.password);
    expect((await list(tokens).expect(200)).body).toEqual({ items: [] });
  });

  it("should revoke a consent with the client's grants and tokens for the user, so the next authorization asks again", async () => {
    const tokens = await codeFlowTokens(sut, notes, REDIRECT_URI, user, 'openid email offline_access');
    const otherUser = await registerUser(sut.http);
    const otherTokens = await codeFlowTokens(sut, notes, REDIRECT_URI, otherUser, 'openid offline_access');

    await sut.http
      .delete(`${CONSENTS}/${encodeURIComponent(notes.clientId)}`)
      .set(...bearer(own))
      .expect(204);

    const remaining = (await list().expect(200)).body.items as { client_id: string }[];
    expect(remaining.map((consent) => consent.client_id)).toEqual([calendar.clientId]);
    const refresh = (refreshToken: string) => refreshTokens(sut, notes, refreshToken);
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    await sut.http
      .get('/api/v1/oidc/userinfo')
      .set(...bearer(tokens))
      .expect(401);
    // Another user's grant to the same client is untouched.
    await refresh(otherTokens.refresh_token!).expect(200);
    // The same browser session, asked again: the consent page comes back.
    const again = await follow(
      tokens.browser,
      authorizeUrl({
        clientId: notes.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid email',
        pkce: pkce(),
      }),
      REDIRECT_URI,
    );
    expect(again.status).toBe(200);
    expect(again.text).toContain('name="decision"');
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('oauth.consent.revoked');
  });

  it('should answer 404 CONSENT_NOT_FOUND for a client the user never allowed, or allowed and revoked', async () => {
    const never = await sut.http
      .delete(`${CONSENTS}/no-such-client`)
      .set(...bearer(own))
      .expect(404);
    expect(never.headers['content-type']).toContain('application/problem+json');
    expect(never.body.code).toBe('CONSENT_NOT_FOUND');
    const lonely = await registerUser(sut.http);
    await codeFlowTokens(sut, calendar, REDIRECT_URI, lonely, 'openid');
    const lonelyTokens = await login(sut.http, lonely.username, lonely.password);
    await sut.http
      .delete(`${CONSENTS}/${calendar.clientId}`)
      .set(...bearer(lonelyTokens))
      .expect(204);
    const twice = await sut.http.delete(`${CONSENTS}/${calendar.clientId}`).set(...bearer(lonelyTokens));
    expect(twice.status).toBe(404);
    // The first user's consent to the same client is still there.
    expect(
      ((await list().expect(200)).body.items as { client_id: string }[]).map((c) => c.client_id),
    ).toContain(calendar.clientId);
  });

  it('should require a token', async () => {
    expect((await sut.http.get(CONSENTS)).status).toBe(401);
    expect((await sut.http.delete(`${CONSENTS}/${calendar.clientId}`)).status).toBe(401);
  });
});
