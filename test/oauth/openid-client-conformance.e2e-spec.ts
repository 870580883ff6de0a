import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { codeFlowClient, createClient, type TestClient } from './support/clients.js';
import { launchChromium, type HeadlessBrowser } from './support/headless-chromium.js';
import { startListeningApp, type ListeningApp } from './support/listening-app.js';
import { RelyingPartyServer } from './support/relying-party-server.js';

/**
 * A real third-party client (openid-client 6) and a real browser (headless Chromium) against
 * the real server: discovery, code flow with PKCE through the login and consent pages, ID
 * token validation, userinfo, refresh, introspection, revocation, RP-initiated and
 * back-channel logout. Nothing here is specific to this provider.
 */
describe('openid-client and Chromium against Portcullis', () => {
  let sut: ListeningApp;
  let rp: RelyingPartyServer;
  let chromium: HeadlessBrowser;
  let client: TestClient;
  let config: oidc.Configuration;
  let user: TestUser;

  beforeAll(async () => {
    sut = await startListeningApp();
    rp = new RelyingPartyServer();
    await rp.start();
    chromium = await launchChromium();
    client = await createClient(sut, {
      ...codeFlowClient(rp.url('/callback')),
      postLogoutRedirectUris: [rp.url('/signed-out')],
      backchannelLogoutUri: rp.url('/backchannel-logout'),
    });
    user = await registerUser(sut.http);
    // http:// because the test server has no TLS; everything else is the library's defaults.
    config = await oidc.discovery(
      new URL(sut.issuer),
      client.clientId,
      undefined,
      oidc.ClientSecretBasic(client.clientSecret!),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await rp?.stop();
    await sut?.close();
  });

  async function signInAndAllow(page: Page, authorizationUrl: URL): Promise<URL> {
    await page.goto(authorizationUrl.href);
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((url) => url.href.startsWith(rp.url('/callback')));
    return new URL(page.url());
  }

  function authorizationUrl(verifierChallenge: string, state: string, nonce: string, prompt?: string): URL {
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: rp.url('/callback'),
      scope: 'openid profile email offline_access',
      code_challenge: verifierChallenge,
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(prompt ? { prompt } : {}),
    });
  }

  it('should run the whole life of a session with a standard client', async () => {
    expect(config.serverMetadata().issuer).toBe(sut.issuer);
    const page = await chromium.context.newPage();

    // Authorization code flow with PKCE, through the login and consent pages.
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const callback = await signInAndAllow(
      page,
      authorizationUrl(await oidc.calculatePKCECodeChallenge(verifier), state, nonce, 'consent'),
    );
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: sut.issuer, sub: user.id, aud: client.clientId, nonce });
    expect(claims.sid).toEqual(expect.any(String));
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(tokens.refresh_token).toEqual(expect.any(String));

    // Userinfo with the claims the scopes release.
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: user.id, email: user.email, preferred_username: user.username });

    // Single sign-on: a second authorization asks for nothing.
    const secondVerifier = oidc.randomPKCECodeVerifier();
    const secondState = oidc.randomState();
    const secondNonce = oidc.randomNonce();
    await page.goto(
      authorizationUrl(await oidc.calculatePKCECodeChallenge(secondVerifier), secondState, secondNonce).href,
    );
    await page.waitForURL((url) => url.href.startsWith(rp.url('/callback')));
    const second = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: secondVerifier,
      expectedState: secondState,
      expectedNonce: secondNonce,
      idTokenExpected: true,
    });
    expect(second.claims()!.sid).toBe(claims.sid);

    // Refresh (rotated), introspection, revocation.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const introspection = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspection).toMatchObject({ active: true, client_id: client.clientId, sub: user.id });
    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    expect((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active).toBe(false);

    // RP-initiated logout ends the browser session and its sessions row.
    const logoutState = oidc.randomState();
    await page.goto(
      oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: rp.url('/signed-out'),
        state: logoutState,
      }).href,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page
      .waitForURL((url) => url.href.startsWith(rp.url('/signed-out')), { timeout: 5000 })
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)} at ${page.url()}: ${await page.content()}`);
      });
    expect(new URL(page.url()).searchParams.get('state')).toBe(logoutState);
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT revoked_at, revoke_reason FROM sessions WHERE id = $1`,
      [claims.sid],
    );
    expect(row.revoked_at).not.toBeNull();
    expect(row.revoke_reason).toBe('logout');
    expect((await oidc.tokenIntrospection(config, second.access_token)).active).toBe(false);

    // The client heard about it on its back channel, with a valid logout token.
    const [logoutToken] = rp.logoutTokens('/backchannel-logout');
    expect(logoutToken).toEqual(expect.any(String));
    const logoutClaims = JSON.parse(
      Buffer.from(logoutToken.split('.')[1], 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(logoutClaims).toMatchObject({
      iss: sut.issuer,
      aud: client.clientId,
      sub: user.id,
      sid: claims.sid,
    });
    expect(logoutClaims.events).toHaveProperty(['http://schemas.openid.net/event/backchannel-logout']);

    // And the browser must sign in again.
    await page.goto(
      authorizationUrl(
        await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        oidc.randomState(),
        oidc.randomNonce(),
      ).href,
    );
    await expect(page.getByLabel('Username or email').isVisible()).resolves.toBe(true);
    await page.close();
  }, 60_000);
});
