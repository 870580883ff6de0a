import { userActor } from '@portcullis/audit';
import { ConsentsService, ScopesService } from '@portcullis/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auditActions, queryDatabase } from '../helpers/database-queries.js';
import { startTestApp, TEST_ADMIN, type TestApp } from '../helpers/test-app.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import {
  authorize,
  authorizeUrl,
  callbackParams,
  follow,
  newBrowser,
  pkce,
  submit,
} from './support/authorization-flow.js';
import { createClient, type TestClient } from './support/clients.js';
import { exchangeCode } from './support/tokens.js';

const REDIRECT_URI = 'https://app.example.test/callback';

function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('authorization code flow', () => {
  let sut: TestApp;
  let client: TestClient;
  let user: TestUser;

  beforeAll(async () => {
    sut = await startTestApp();
    client = await createClient(sut, {
      type: 'confidential',
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'admin:users:read'],
    });
    user = await registerUser(sut.http);
  });
  afterAll(() => sut.close());

  const exchange = (
    code: string,
    verifier: string,
    extra: Record<string, string> = {},
    tokenClient = client,
  ) => exchangeCode(sut, tokenClient, { code, verifier, redirectUri: REDIRECT_URI }, extra);

  it('should sign in, ask consent, and return code, state and iss to the redirect URI', async () => {
    const browser = newBrowser(sut);
    const challenge = pkce();
    const callback = await authorize(
      browser,
      {
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid profile email',
        pkce: challenge,
        state: 'st-1',
        nonce: 'n-1',
      },
      user,
    );
    expect(callback.get('state')).toBe('st-1');
    expect(callback.get('iss')).toBe(sut.config.issuer);
    const tokens = await exchange(callback.get('code')!, challenge.verifier);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.headers['cache-control']).toContain('no-store');
    const idToken = jwtPayload(tokens.body.id_token);
    expect(idToken).toMatchObject({
      iss: sut.config.issuer,
      sub: user.id,
      aud: client.clientId,
      nonce: 'n-1',
    });
    expect(idToken.auth_time).toEqual(expect.any(Number));
    expect(idToken.sid).toEqual(expect.any(String));
    const [session] = await queryDatabase(sut.databaseUrl, `SELECT * FROM sessions WHERE id = $1`, [
      idToken.sid,
    ]);
    expect(session).toMatchObject({ user_id: user.id, client_id: client.clientId, revoked_at: null });
    const rows = await queryDatabase(sut.databaseUrl, `SELECT id FROM sessions WHERE user_id = $1`, [
      user.id,
    ]);
    expect(rows).toHaveLength(1);

    const userinfo = await sut.http
      .get('/api/v1/oidc/userinfo')
      .set('Authorization', `Bearer ${tokens.body.access_token}`)
      .expect(200);
    expect(userinfo.body).toMatchObject({
      sub: user.id,
      email: user.email,
      preferred_username: user.username,
    });
    expect(await auditActions(sut.databaseUrl, user.id)).toEqual(
      expect.arrayContaining([
        'user.login.succeeded',
        'oauth.consent.given',
        'oauth.authorization.granted',
        'oauth.token.issued',
      ]),
    );
  });

  it('should show the login page with the exact labels and refuse a wrong password', async () => {
    const browser = newBrowser(sut);
    const page = await follow(
      browser,
      authorizeUrl({ clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: pkce() }),
      REDIRECT_URI,
    );
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<label for="username">Username or email</label>');
    expect(page.text).toContain('<label for="password">Password</label>');
    expect(page.text).toContain('>Sign in</button>');
    expect(page.text).not.toContain('<script');
    const wrong = await submit(
      browser,
      page.text,
      { username: user.username, password: 'wrong password here' },
      REDIRECT_URI,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('role="alert"');
  });

  it('should refuse a login form without the CSRF token', async () => {
    const browser = newBrowser(sut);
    const page = await follow(
      browser,
      authorizeUrl({ clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: pkce() }),
      REDIRECT_URI,
    );
    const action = /action="([^"]+)"/.exec(page.text)![1];
    const response = await browser.agent
      .post(action)
      .type('form')
      .send({ username: user.username, password: user.password, csrf: 'forged' });
    expect(response.status).toBe(403);
  });

  it('should not ask for the password again within the browser session (SSO), nor consent again', async () => {
    const browser = newBrowser(sut);
    const first = await authorize(
      browser,
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid email', pkce: pkce() },
      user,
    );
    expect(first.get('code')).toBeTruthy();
    const second = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid email',
        pkce: pkce(),
      }),
      REDIRECT_URI,
    );
    expect(callbackParams(second).get('code')).toBeTruthy();
  });

  it('should remember consent per user and client in a new browser session', async () => {
    const other = await registerUser(sut.http);
    await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid profile', pkce: pkce() },
      other,
    );
    const browser = newBrowser(sut);
    const page = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid profile',
        pkce: pkce(),
      }),
      REDIRECT_URI,
    );
    const afterLogin = await submit(
      browser,
      page.text,
      { username: other.username, password: other.password },
      REDIRECT_URI,
    );
    expect(callbackParams(afterLogin).get('code')).toBeTruthy();
  });

  it('should name the client and the scopes in words on the consent page, and deny with access_denied', async () => {
    const other = await registerUser(sut.http);
    const browser = newBrowser(sut);
    const login = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid email',
        pkce: pkce(),
        state: 'd',
      }),
      REDIRECT_URI,
    );
    const consent = await submit(
      browser,
      login.text,
      { username: other.username, password: other.password },
      REDIRECT_URI,
    );
    expect(consent.text).toContain('See your e-mail address');
    expect(consent.text).toContain('>Allow</button>');
    expect(consent.text).toContain('>Deny</button>');
    const denied = callbackParams(await submit(browser, consent.text, { decision: 'deny' }, REDIRECT_URI));
    expect(denied.get('error')).toBe('access_denied');
    expect(denied.get('state')).toBe('d');
    expect(await auditActions(sut.databaseUrl, other.id)).toContain('oauth.authorization.denied');
  });

  it('should grant admin scopes only to users whose roles hold them', async () => {
    const scope = 'openid admin:users:read';
    const plain = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope, pkce: pkce() },
      user,
    );
    const challenge = pkce();
    const admin = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope, pkce: challenge },
      { username: TEST_ADMIN.username, password: TEST_ADMIN.password },
    );
    const adminTokens = await exchange(admin.get('code')!, challenge.verifier, {
      resource: `${sut.config.issuer}/api`,
    }).expect(200);
    expect(adminTokens.body.scope.split(' ')).toContain('admin:users:read');
    expect(plain.get('code')).toBeTruthy();
  });

  it('should give an access token for our API, carrying our session id, that the API accepts', async () => {
    const challenge = pkce();
    const callback = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid profile', pkce: challenge },
      user,
    );
    const tokens = await exchange(callback.get('code')!, challenge.verifier, {
      resource: `${sut.config.issuer}/api`,
    }).expect(200);
    const claims = jwtPayload(tokens.body.access_token);
    expect(claims, JSON.stringify(claims)).toMatchObject({
      aud: `${sut.config.issuer}/api`,
      sub: user.id,
      client_id: client.clientId,
    });
    expect(claims.sid, JSON.stringify(claims)).toBeDefined();
    expect(claims.sid).toBe(jwtPayload(tokens.body.id_token).sid);
    const me = await sut.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${tokens.body.access_token}`);
    expect(me.status, JSON.stringify(me.body)).toBe(200);
  });

  it('should refuse a reused code with invalid_grant and revoke what it issued', async () => {
    const challenge = pkce();
    const callback = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: challenge },
      user,
    );
    const first = await exchange(callback.get('code')!, challenge.verifier);
    expect(first.status).toBe(200);
    const second = await exchange(callback.get('code')!, challenge.verifier);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect(second.headers['cache-control']).toContain('no-store');
    await sut.http
      .get('/api/v1/oidc/userinfo')
      .set('Authorization', `Bearer ${first.body.access_token}`)
      .expect(401);
  });

  it('should refuse a wrong PKCE verifier and an authorization request without PKCE', async () => {
    const challenge = pkce();
    const callback = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: challenge },
      user,
    );
    const wrong = await exchange(callback.get('code')!, pkce().verifier);
    expect(wrong.body.error).toBe('invalid_grant');

    const noPkce = await sut.http.get(
      `/api/v1/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid' })}`,
    );
    expect(noPkce.status).toBe(303);
    expect(new URL(noPkce.headers.location).searchParams.get('error')).toBe('invalid_request');
  });

  it('should show an error page and never redirect for an unknown client or an unregistered redirect URI', async () => {
    for (const [clientId, redirectUri] of [
      ['no-such-client', REDIRECT_URI],
      [client.clientId, 'https://evil.example.test/callback'],
    ]) {
      const response = await sut.http.get(
        authorizeUrl({ clientId, redirectUri, scope: 'openid', pkce: pkce() }),
      );
      expect(response.status).toBe(400);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['content-type']).toContain('text/html');
    }
  });

  it('should ask a user who must change its password for a new one before continuing', async () => {
    const changer = await registerUser(sut.http);
    await queryDatabase(sut.databaseUrl, `UPDATE users SET requires_password_change = true WHERE id = $1`, [
      changer.id,
    ]);
    const browser = newBrowser(sut);
    const login = await follow(
      browser,
      authorizeUrl({ clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: pkce() }),
      REDIRECT_URI,
    );
    const change = await submit(
      browser,
      login.text,
      { username: changer.username, password: changer.password },
      REDIRECT_URI,
    );
    expect(change.text).toContain('Choose a new password');
    const mismatch = await submit(
      browser,
      change.text,
      { new_password: 'A brand new passphrase 1', confirm_password: 'other' },
      REDIRECT_URI,
    );
    expect(mismatch.status).toBe(400);
    const next = await submit(
      browser,
      mismatch.text,
      { new_password: 'A brand new passphrase 1', confirm_password: 'A brand new passphrase 1' },
      REDIRECT_URI,
    );
    const callback =
      next.status === 200 ? await submit(browser, next.text, { decision: 'allow' }, REDIRECT_URI) : next;
    expect(callbackParams(callback).get('code')).toBeTruthy();
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT requires_password_change FROM users WHERE id = $1`,
      [changer.id],
    );
    expect(row.requires_password_change).toBe(false);
  });

  it('should describe a custom scope on the consent page and issue it for our API', async () => {
    await sut.app.get(ScopesService).create('calendar:read', 'See your calendar');
    const calendarClient = await createClient(sut, {
      type: 'confidential',
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'calendar:read'],
    });
    const browser = newBrowser(sut);
    const challenge = pkce();
    const login = await follow(
      browser,
      authorizeUrl({
        clientId: calendarClient.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid calendar:read',
        pkce: challenge,
      }),
      REDIRECT_URI,
    );
    const consent = await submit(
      browser,
      login.text,
      { username: user.username, password: user.password },
      REDIRECT_URI,
    );
    expect(consent.text).toContain('See your calendar');
    const callback = callbackParams(await submit(browser, consent.text, { decision: 'allow' }, REDIRECT_URI));
    const tokens = await exchange(
      callback.get('code')!,
      challenge.verifier,
      { resource: `${sut.config.issuer}/api` },
      calendarClient,
    ).expect(200);
    expect(tokens.body.scope.split(' ')).toContain('calendar:read');
  });

  it("should ask for consent again once the user revoked it, and end the client's tokens", async () => {
    const revoker = await registerUser(sut.http);
    const challenge = pkce();
    const callback = await authorize(
      newBrowser(sut),
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid email', pkce: challenge },
      revoker,
    );
    const tokens = await exchange(callback.get('code')!, challenge.verifier);
    expect(
      await sut.app.get(ConsentsService).revoke(revoker.id, client.clientId, userActor(revoker.id)),
    ).toBe(true);
    await sut.http
      .get('/api/v1/oidc/userinfo')
      .set('Authorization', `Bearer ${tokens.body.access_token}`)
      .expect(401);
    expect(await auditActions(sut.databaseUrl, revoker.id)).toContain('oauth.consent.revoked');

    const browser = newBrowser(sut);
    const login = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid email',
        pkce: pkce(),
      }),
      REDIRECT_URI,
    );
    const consent = await submit(
      browser,
      login.text,
      { username: revoker.username, password: revoker.password },
      REDIRECT_URI,
    );
    expect(consent.text).toContain('>Allow</button>');
  });

  it('should honour login_hint, prompt=login and max_age', async () => {
    const browser = newBrowser(sut);
    const hinted = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid',
        pkce: pkce(),
        extra: { login_hint: user.username },
      }),
      REDIRECT_URI,
    );
    expect(hinted.text).toContain(`value="${user.username}"`);
    await submit(browser, hinted.text, { username: user.username, password: user.password }, REDIRECT_URI);

    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      const again = await follow(
        browser,
        authorizeUrl({
          clientId: client.clientId,
          redirectUri: REDIRECT_URI,
          scope: 'openid',
          pkce: pkce(),
          extra,
        }),
        REDIRECT_URI,
      );
      expect(again.status, JSON.stringify(extra)).toBe(200);
      expect(again.text).toContain('>Sign in</button>');
    }
    const silent = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid',
        pkce: pkce(),
        prompt: 'none',
      }),
      REDIRECT_URI,
    );
    expect(callbackParams(silent).get('code')).toBeTruthy();
  });

  it('should take form bodies only on the interaction pages: JSON routes answer 415', async () => {
    const response = await sut.http
      .post('/api/v1/auth/login')
      .type('form')
      .send({ username: user.username, password: user.password });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('should ask for the password again when the browser session row has expired, and start a new row', async () => {
    const browser = newBrowser(sut);
    const challenge = pkce();
    const first = await authorize(
      browser,
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: challenge },
      user,
    );
    const tokens = await exchange(first.get('code')!, challenge.verifier);
    const sid = jwtPayload(tokens.body.id_token).sid as string;
    await queryDatabase(
      sut.databaseUrl,
      `UPDATE sessions SET idle_expires_at = now() - interval '1 minute' WHERE id = $1`,
      [sid],
    );

    const silent = await follow(
      browser,
      authorizeUrl({
        clientId: client.clientId,
        redirectUri: REDIRECT_URI,
        scope: 'openid',
        pkce: pkce(),
        prompt: 'none',
      }),
      REDIRECT_URI,
    );
    expect(callbackParams(silent).get('error')).toBe('login_required');

    const nextChallenge = pkce();
    const again = await authorize(
      browser,
      { clientId: client.clientId, redirectUri: REDIRECT_URI, scope: 'openid', pkce: nextChallenge },
      user,
    );
    const renewed = await exchange(again.get('code')!, nextChallenge.verifier);
    const newSid = jwtPayload(renewed.body.id_token).sid as string;
    expect(newSid).not.toBe(sid);
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT revoked_at, idle_expires_at > now() AS live FROM sessions WHERE id = $1`,
      [newSid],
    );
    expect(row).toMatchObject({ revoked_at: null, live: true });
  });
});
