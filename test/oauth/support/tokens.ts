import { randomBytes } from 'node:crypto';

import type { TestApp } from '../../helpers/test-app.js';
import type { TestUser } from '../../helpers/users.js';
import { authorize, newBrowser, pkce, type FlowBrowser } from './authorization-flow.js';
import { basicAuth, type TestClient } from './clients.js';

export const TOKEN_PATH = '/api/v1/oauth/token';

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
  const response = await sut.http
    .post(TOKEN_PATH)
    .set('Authorization', basicAuth(client))
    .type('form')
    .send({
      grant_type: 'authorization_code',
      code: callback.get('code'),
      code_verifier: challenge.verifier,
      redirect_uri: redirectUri,
      ...extra,
    });
  if (response.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(response.body)}`);
  return { ...response.body, browser } as CodeFlowTokens;
}
