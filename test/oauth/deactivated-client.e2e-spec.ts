import { ClientsService } from '@portcullis/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { bearer, registerUser, type TestUser } from '../helpers/users.js';
import { authorize, newBrowser, pkce } from './support/authorization-flow.js';
import { codeFlowClient, createClient, type TestClient } from './support/clients.js';
import {
  clientCredentials,
  codeFlowTokens,
  exchangeCode,
  introspect as introspectAs,
  refreshTokens,
} from './support/tokens.js';

const REDIRECT_URI = 'https://deactivated.example.test/cb';
const SCOPE = 'openid profile offline_access';

/**
 * "A deactivated client can do nothing": every code, refresh token and access token it holds
 * (JWT ones included) stops working at once, and stays dead if the client is reactivated.
 */
describe('a deactivated client', () => {
  let sut: TestApp;
  let client: TestClient;
  let user: TestUser;
  let apiAudience: string;

  beforeAll(async () => {
    sut = await startTestApp();
    apiAudience = `${sut.config.issuer}/api`;
    client = await createClient(sut, {
      type: 'confidential',
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      scopes: ['openid', 'profile', 'offline_access', 'admin:users:read'],
    });
    user = await registerUser(sut.http);
  });
  afterAll(() => sut.close());

  const introspect = (token: string) => introspectAs(sut, client, token);

  it('should stop its codes, refresh tokens and access tokens at once, for good', async () => {
    const userTokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, SCOPE, {
      resource: apiAudience,
    });
    const openIdTokens = await codeFlowTokens(sut, client, REDIRECT_URI, user, 'openid');
    const machineToken = (await clientCredentials(sut, client).expect(200)).body.access_token as string;
    const pending = pkce();
    const unusedCode = (
      await authorize(
        newBrowser(sut),
        { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: SCOPE, pkce: pending },
        user,
      )
    ).get('code')!;
    await sut.http
      .get('/api/v1/auth/me')
      .set(...bearer(userTokens))
      .expect(200);

    await sut.app.get(ClientsService).setActive(client.clientId, false);

    // Nothing of the client is left to find.
    const [left] = await queryDatabase(
      sut.databaseUrl,
      `SELECT count(*)::int AS n FROM oidc_payloads WHERE payload->>'clientId' = $1`,
      [client.clientId],
    );
    expect(left.n).toBe(0);
    // It cannot authenticate anywhere.
    const refused = await refreshTokens(sut, client, userTokens.refresh_token!);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    expect((await introspect(machineToken)).status).toBe(401);
    // Its user JWT no longer opens our API; its opaque token no longer opens userinfo.
    const me = await sut.http.get('/api/v1/auth/me').set(...bearer(userTokens));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('TOKEN_REVOKED');
    await sut.http
      .get('/api/v1/oidc/userinfo')
      .set(...bearer(openIdTokens))
      .expect(401);
    // Authorization shows an error page and never redirects to it.
    const authorization = await sut.http.get(
      `/api/v1/oauth/authorize?${new URLSearchParams({
        client_id: client.clientId,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid',
        code_challenge: pending.challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    expect(authorization.status).toBe(400);
    expect(authorization.headers.location).toBeUndefined();

    // Reactivated, it gets nothing back: what it held was deleted, not suspended.
    await sut.app.get(ClientsService).setActive(client.clientId, true);
    const refresh = await refreshTokens(sut, client, userTokens.refresh_token!);
    expect(refresh.body.error).toBe('invalid_grant');
    const exchange = await exchangeCode(sut, client, {
      code: unusedCode,
      verifier: pending.verifier,
      redirectUri: REDIRECT_URI,
    });
    expect(exchange.body.error).toBe('invalid_grant');
    for (const token of [
      userTokens.access_token,
      openIdTokens.access_token,
      machineToken,
      userTokens.refresh_token!,
    ]) {
      expect((await introspect(token)).body).toEqual({ active: false });
    }
    expect((await sut.http.get('/api/v1/auth/me').set(...bearer(userTokens))).status).toBe(401);
  });

  it('should stop the same way when it is deleted', async () => {
    const doomed = await createClient(sut, codeFlowClient(REDIRECT_URI));
    const tokens = await codeFlowTokens(sut, doomed, REDIRECT_URI, user, SCOPE, { resource: apiAudience });
    await sut.app.get(ClientsService).delete(doomed.clientId);
    const me = await sut.http.get('/api/v1/auth/me').set(...bearer(tokens));
    expect(me.status).toBe(401);
    const refresh = await refreshTokens(sut, doomed, tokens.refresh_token!);
    expect(refresh.body.error).toBe('invalid_client');
  });
});
