import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { queryDatabase } from '../helpers/database-queries.js';
import { registerUser, type TestUser } from '../helpers/users.js';
import { createClient, machineClient } from './support/clients.js';
import { launchChromium, type HeadlessBrowser } from './support/headless-chromium.js';
import { startListeningApp, type ListeningApp } from './support/listening-app.js';

/**
 * oauth4webapi (a second, independent client library): client credentials with introspection
 * and revocation of its JWT access token, and the device flow.
 */
describe('oauth4webapi against Portcullis', () => {
  let sut: ListeningApp;
  let chromium: HeadlessBrowser;
  let as: oauth.AuthorizationServer;
  let user: TestUser;
  // http:// because the test server has no TLS.
  const insecure = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    sut = await startListeningApp();
    chromium = await launchChromium();
    user = await registerUser(sut.http);
    const issuer = new URL(sut.issuer);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await sut?.close();
  });

  it('should run the client credentials grant', async () => {
    const registered = await createClient(sut, machineClient());
    const client: oauth.Client = { client_id: registered.clientId };
    const auth = oauth.ClientSecretBasic(registered.clientSecret!);
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      auth,
      { scope: 'admin:users:read' },
      insecure,
    );
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'admin:users:read', expires_in: 900 });

    // The JWT access token introspects (RFC 7662) until it is revoked (RFC 7009).
    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
      );
    expect(await introspect()).toMatchObject({
      active: true,
      client_id: registered.clientId,
      scope: 'admin:users:read',
    });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(await introspect()).toEqual({ active: false });

    const refused = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic('wrong'),
      {},
      insecure,
    );
    expect(refused.status).toBe(401);
    await expect(oauth.processClientCredentialsResponse(as, client, refused)).rejects.toBeInstanceOf(
      oauth.WWWAuthenticateChallengeError,
    );
  });

  it('should run the device flow, the user approving on the device page with the same login', async () => {
    const registered = await createClient(sut, {
      type: 'public',
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'offline_access'],
    });
    const client: oauth.Client = { client_id: registered.clientId };
    const auth = oauth.None();
    const started = await oauth.processDeviceAuthorizationResponse(
      as,
      client,
      await oauth.deviceAuthorizationRequest(as, client, auth, { scope: 'openid profile' }, insecure),
    );
    expect(started.verification_uri).toBe(`${sut.issuer}/api/v1/oauth/device`);

    const poll = async () =>
      oauth.processDeviceCodeResponse(
        as,
        client,
        await oauth.deviceCodeGrantRequest(as, client, auth, started.device_code, insecure),
      );
    await expect(poll()).rejects.toMatchObject({ error: 'authorization_pending' });

    // The user types the code on the verification page, signs in and allows.
    const page = await chromium.context.newPage();
    await page.goto(started.verification_uri);
    await page.getByLabel('Code shown on your device').fill(started.user_code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Username or email').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect(page.getByRole('heading', { name: 'Device connected' }).isVisible()).resolves.toBe(true);
    await page.close();

    const tokens = await poll();
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
    const [row] = await queryDatabase(
      sut.databaseUrl,
      `SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND client_id = $2`,
      [user.id, registered.clientId],
    );
    expect(row.n).toBe(1);
    // A device code is used once.
    await expect(poll()).rejects.toMatchObject({ error: 'invalid_grant' });
  }, 60_000);

  it('should take a pushed authorization request (PAR) and refuse an unknown request_uri', async () => {
    const registered = await createClient(sut, {
      type: 'confidential',
      redirectUris: ['https://par.example.test/cb'],
      scopes: ['openid'],
    });
    const client: oauth.Client = { client_id: registered.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      client,
      await oauth.pushedAuthorizationRequest(
        as,
        client,
        oauth.ClientSecretBasic(registered.clientSecret!),
        {
          redirect_uri: 'https://par.example.test/cb',
          response_type: 'code',
          scope: 'openid',
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        },
        insecure,
      ),
    );
    expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const authorizePath = `/api/v1/oauth/authorize?${new URLSearchParams({ client_id: registered.clientId, request_uri: pushed.request_uri })}`;
    const authorize = await sut.http.get(authorizePath);
    expect(authorize.status).toBe(303);
    expect(authorize.headers.location).toMatch(/\/api\/v1\/oauth\/interaction\//);
    const unknown = await sut.http.get(
      `/api/v1/oauth/authorize?${new URLSearchParams({ client_id: registered.clientId, request_uri: 'urn:ietf:params:oauth:request_uri:nope' })}`,
    );
    const error = new URL(unknown.headers.location);
    expect(error.origin + error.pathname).toBe('https://par.example.test/cb');
    expect(error.searchParams.get('error')).toBe('invalid_request_uri');
  });
});
