import { randomBytes } from 'node:crypto';

import type { TestApp } from '../../helpers/test-app.js';
import type { TestUser } from '../../helpers/users.js';
import { authorize, newBrowser, pkce, type FlowBrowser } from './authorization-flow.js';
import { basicAuth, type TestClient } from './clients.js';

export const TOKEN_PATH = '/api/v1/oauth/token';
export const INTROSPECTION_PATH = '/api/v1/oauth/introspect';
export const REVOCATION_PATH = '/api/v1/oauth/revoke';

type Form = Record<string, string | undefined>;

/** A form POST to a protocol endpoint as `client` (client_secret_basic); the response is the caller's to check. */
export function postAsClient(sut: Pick<TestApp, 'http'>, path: string, client: TestClient, form: Form) {
  return sut.http.post(path).set('Authorization', basicAuth(client)).type('form').send(form);
}

/** The code-for-token exchange (authorization_code grant). */
export function exchangeCode(
  sut: Pick<TestApp, 'http'>,
  client: TestClient,
  exchange: { code: string; verifier: string; redirectUri: string },
  extra: Form = {},
) {
  return postAsClient(sut, TOKEN_PATH, client, {
    grant_type: 'authorization_code',
    code: exchange.code,
    code_verifier: exchange.verifier,
    redirect_uri: exchange.redirectUri,
    ...extra,
  });
}

export function refreshTokens(
  sut: Pick<TestApp, 'http'>,
  client: TestClient,
  refreshToken: string,
  extra: Form = {},
) {
  return postAsClient(sut, TOKEN_PATH, client, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...extra,
  });
}

export function clientCredentials(sut: Pick<TestApp, 'http'>, client: TestClient, extra: Form = {}) {
  return postAsClient(sut, TOKEN_PATH, client, { grant_type: 'client_credentials', ...extra });
}

/** RFC 7662 introspection as `client`. */
export function introspect(sut: Pick<TestApp, 'http'>, client: TestClient, token: string) {
  return postAsClient(sut, INTROSPECTION_PATH, client, { token });
}

/** RFC 7009 revocation as `client`. */
export function revoke(sut: Pick<TestApp, 'http'>, client: TestClient, token: string, hint?: string) {
  return postAsClient(sut, REVOCATION_PATH, client, { token, token_type_hint: hint });
}

export interface CodeFlowTokens {
  access_token: string;
  refresh_token?: string;
  id_token: string;
  scope: string;
  browser: FlowBrowser;
}

/** Runs the code flow for `user` in a fresh browser and exchanges the code. */
export async function codeFlowTokens(
  sut: TestApp,
  client: TestClient,
  redirectUri: string,
  user: Pick<TestUser, 'username' | 'password'>,
  scope: string,
  extra: Record<string, string> = {},
): Promise<CodeFlowTokens> {
  const browser = newBrowser(sut);
  const challenge = pkce();
  const callback = await authorize(
    browser,
    {
      clientId: client.clientId,
      redirectUri,
      scope,
      pkce: challenge,
      prompt: 'consent',
      state: randomBytes(4).toString('hex'),
    },
    user,
  );
  const response = await exchangeCode(
    sut,
    client,
    { code: callback.get('code')!, verifier: challenge.verifier, redirectUri },
    extra,
  );
  if (response.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(response.body)}`);
  return { ...response.body, browser } as CodeFlowTokens;
}
