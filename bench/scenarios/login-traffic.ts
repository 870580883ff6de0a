import type autocannon from 'autocannon';

import { LOGIN_PATH, login } from '../api-client.js';
import type { ScenarioContext } from './scenario.js';

/**
 * autocannon requests that sign the seeded users in, each request the next user in turn, so
 * logins spread over many rows as real traffic does. `onToken` receives every refresh token.
 */
export function loginRequests(
  context: ScenarioContext,
  onToken?: (refreshToken: string) => void,
): autocannon.Request[] {
  let next = 0;
  return [
    {
      method: 'POST',
      path: LOGIN_PATH,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ username: context.users.username(next++), password: context.users.password }),
      }),
      onResponse: (status, body) => {
        if (status === 200 && onToken) onToken((JSON.parse(body) as { refresh_token: string }).refresh_token);
      },
    },
  ];
}

/**
 * Waits until the server has worked off the logins autocannon abandoned when its run ended
 * (the server still hashes them). The password pool is FIFO, so one more login finishes only
 * after every login queued before it.
 */
export async function settleLogins(context: ScenarioContext): Promise<void> {
  const tokens = await login(context.apiUrl, context.users.username(0), context.users.password);
  context.refreshTokens.add(tokens.refresh_token);
}

/** A login is queued behind up to `connections` others, each a bcrypt hash: allow for it. */
export const LOGIN_TIMEOUT_SECONDS = 60;
