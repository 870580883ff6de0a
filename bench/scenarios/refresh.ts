import type autocannon from 'autocannon';

import { REFRESH_PATH, login } from '../api-client.js';
import { runAutocannon, summarize } from '../load.js';
import { settleDatabase } from '../settle.js';
import type { Scenario, ScenarioContext, ScenarioRow } from './scenario.js';

/**
 * The API's default DATABASE_POOL_SIZE is 10. A refresh holds one pooled connection for its
 * transaction and needs a second one inside it (the new tokens are saved outside the
 * transaction), so at 10 or more concurrent refreshes every connection waits for another one
 * until the pool's 10 s acquire timeout. The bench runs the scenario's usual connection count
 * and also a count below the pool size, so that a rotation figure exists either way.
 */
const BELOW_POOL_SIZE_CONNECTIONS = 8;
const REQUEST_TIMEOUT_SECONDS = 30;

/**
 * Token rotation. Each refresh token works once, so every connection follows its own session:
 * it takes an unused token from the pool, and each response's new token is the next request's.
 * A chain that fails moves on to another unused session. The request in flight when a run stops
 * is lost with its answer, so the warm-up and the measured run each need a session per connection.
 */
export const refreshScenario: Scenario = {
  id: 'refresh',
  async run(context) {
    const rows: ScenarioRow[] = [];
    for (const connections of [BELOW_POOL_SIZE_CONNECTIONS, context.config.connections]) {
      rows.push({
        scenario: `POST /auth/refresh x${connections}`,
        comparableToBare: true,
        ...(await measure(context, connections)),
      });
    }
    return rows;
  },
};

async function measure(context: ScenarioContext, connections: number) {
  const { config } = context;
  const options: autocannon.Options = {
    url: context.apiUrl,
    connections,
    timeout: REQUEST_TIMEOUT_SECONDS,
    setupClient: (client) => followOneSession(client, context),
  };
  await topUpRefreshTokens(context, connections);
  await runAutocannon({ ...options, duration: config.warmupSeconds });
  await settleDatabase(context.databaseUrl);
  await topUpRefreshTokens(context, connections);
  const summary = summarize(await runAutocannon({ ...options, duration: config.durationSeconds }));
  await settleDatabase(context.databaseUrl);
  return summary;
}

function followOneSession(client: autocannon.Client, context: ScenarioContext): void {
  let token = context.refreshTokens.take();
  client.setRequests([
    {
      method: 'POST',
      path: REFRESH_PATH,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({ ...request, body: JSON.stringify({ refresh_token: token }) }),
      onResponse: (status, body) => {
        token =
          status === 200
            ? (JSON.parse(body) as { refresh_token: string }).refresh_token
            : context.refreshTokens.take();
      },
    },
  ]);
}

/** Signs seeded users in until the pool holds `count` unused tokens, a few logins at a time. */
async function topUpRefreshTokens(context: ScenarioContext, count: number): Promise<void> {
  let next = context.users.count - 1; // from the far end, away from the users the other scenarios start with
  const signInUntilFull = async () => {
    while (context.refreshTokens.size < count) {
      const { refresh_token } = await login(
        context.apiUrl,
        context.users.username(next--),
        context.users.password,
      );
      context.refreshTokens.add(refresh_token);
    }
  };
  // One login per core keeps every bcrypt thread busy; more would only queue.
  await Promise.all(Array.from({ length: context.config.cores }, signInUntilFull));
}
