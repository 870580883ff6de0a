import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, login, registerUser, type TestUser } from '../helpers/users.js';
import { codeFlowClient, createClient, type TestClient } from './support/clients.js';
import {
  codeFlowTokens,
  INTROSPECTION_PATH,
  introspect as introspectAs,
  refreshTokens,
  revoke,
} from './support/tokens.js';

const REDIRECT_URI = 'https://rp.example.test/cb';
const SCOPE = 'openid profile email offline_access';

function sidOf(idToken: string): string {
  return (JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')) as { sid: string })
    .sid;
}

describe('refresh, introspection, revocation and userinfo', () => {
  let sut: TestApp;
  let client: TestClient;
  let otherClient: TestClient;
  let user: TestUser;

  beforeAll(async () => {
    sut = await startTestApp();
    client = await createClient(sut, codeFlowClient(REDIRECT_URI));
    otherClient = await createClient(sut, codeFlowClient(REDIRECT_URI));
    user = await registerUser(sut.http);
  });
  afterAll(() => sut.close());

  const refresh = (refreshToken: string, extra: Record<string, string> = {}, asClient = client) =>
    refreshTokens(sut, asClient, refreshToken, extra);
  const introspect = (token: string, asClient = client) => introspectAs(sut, asClient, token);

  it('should rotate the refresh token on every use and keep it working', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const first = await refresh(tokens.refresh_token!).expect(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.headers['cache-control']).toContain('no-store');
    const second = await refresh(first.body.refresh_token).expect(200);
    expect(second.body.access_token).toEqual(expect.any(String));
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('oauth.token.refreshed');
  });

  it('should revoke the whole grant when a used refresh token comes back', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    const rotated = await refresh(tokens.refresh_token!).expect(200);
    const reuse = await refresh(tokens.refresh_token!);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    const afterReuse = await refresh(rotated.body.refresh_token);
    expect(afterReuse.body.error).toBe('invalid_grant');
    expect((await introspect(rotated.body.access_token)).body).toEqual({ active: false });
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('oauth.token.reused');
  });

  it('should only narrow the scope on refresh', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    const narrowed = await refresh(tokens.refresh_token!, { scope: 'openid email' }).expect(200);
    expect(narrowed.body.scope.split(' ').sort()).toEqual(['email', 'openid']);
    const widened = await refresh(narrowed.body.refresh_token, { scope: 'openid phone' });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe('invalid_scope');
  });

  it('should not let another client use, introspect or revoke a token', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    expect((await refresh(tokens.refresh_token!, {}, otherClient)).body.error).toBe('invalid_grant');
    expect((await introspect(tokens.access_token, otherClient)).body).toEqual({ active: false });
    await revoke(sut, otherClient, tokens.access_token).expect(200);
    expect((await introspect(tokens.access_token)).body.active).toBe(true);
  });

  it('should introspect its own tokens and say inactive for unknown and revoked ones', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    const active = await introspect(tokens.access_token).expect(200);
    expect(active.body).toMatchObject({
      active: true,
      client_id: client.clientId,
      sub: user.id,
      token_type: 'Bearer',
    });
    const refreshIntrospection = (await introspect(tokens.refresh_token!)).body;
    expect(refreshIntrospection).toMatchObject({ active: true, client_id: client.clientId });
    expect((await introspect('no-such-token')).body).toEqual({ active: false });

    await revoke(sut, client, tokens.refresh_token!, 'refresh_token').expect(200);
    expect((await introspect(tokens.refresh_token!)).body).toEqual({ active: false });
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(await auditActions(sut.databaseUrl, user.id)).toContain('oauth.token.revoked');
  });

  it('should require client authentication at introspection and revocation', async () => {
    const response = await sut.http.post(INTROSPECTION_PATH).type('form').send({ token: 'x' });
    expect(response.status).toBe(400);
    const wrong = await revoke(sut, { ...client, clientSecret: 'wrong' }, 'x');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const audited = await queryDatabase(
      sut.databaseUrl,
      `SELECT action, actor_id, target_id, details FROM audit_events WHERE action LIKE 'oauth.client%'`,
    );
    expect(audited, JSON.stringify(audited)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'oauth.client.authentication_failed', target_id: client.clientId }),
      ]),
    );
  });

  it('should answer userinfo with the claims the scopes release, by GET and POST', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid email');
    const get = await sut.http
      .get('/api/v1/oidc/userinfo')
      .set(...bearer(tokens))
      .expect(200);
    expect(get.body).toEqual({ sub: user.id, email: user.email, email_verified: false });
    const post = await sut.http
      .post('/api/v1/oidc/userinfo')
      .type('form')
      .send({ access_token: tokens.access_token })
      .expect(200);
    expect(post.body.sub).toBe(user.id);
    await sut.http.get('/api/v1/oidc/userinfo').set('Authorization', 'Bearer nope').expect(401);
  });

  it('should end the browser session row and every token in it when the user revokes that session', async () => {
    const tokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE);
    const sid = sidOf(tokens.id_token);
    const own = await login(sut.http, user.username, user.password);
    await sut.http
      .delete(`/api/v1/auth/sessions/${sid}`)
      .set(...bearer(own))
      .expect(204);

    expect((await introspect(tokens.access_token)).body).toEqual({ active: false });
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    const [remaining] = await queryDatabase(
      sut.databaseUrl,
      `SELECT count(*)::int AS n FROM oidc_payloads WHERE session_id = $1`,
      [sid],
    );
    expect(remaining.n).toBe(0);
    // The browser must sign in again.
    const again = await tokens.browser.agent.get(
      `/api/v1/oauth/authorize?${new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        prompt: 'none',
      })}`,
    );
    expect(new URL(again.headers.location).searchParams.get('error')).toBe('login_required');
  });
});
