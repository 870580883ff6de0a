import autocannon from 'autocannon';
import pg from 'pg';

import { LOGIN_PATH } from '../api-client.js';
import { runAutocannon, summarize } from '../load.js';
import { loginRequests, settleLogins } from './login-traffic.js';
import type { Scenario, ScenarioContext } from './scenario.js';

const LOGIN_CONNECTIONS = 4;
const GOAL_ROWS_PER_SECOND = 50_000;
const GOAL_P99_GROWTH = 0.2;

/** Inserts `count` sessions of the first seeded user that ended long before the retention. */
async function seedEndedSessions(databaseUrl: string, username: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO sessions (user_id, client_id, created_at, last_seen_at, expires_at, idle_expires_at)
       SELECT u.id, 'portcullis', now() - interval '60 days', now() - interval '60 days', now() - interval '30 days', now() - interval '59 days'
         FROM users u, generate_series(1, $2) WHERE u.username = $1`,
      [username, count],
    );
    // The bench's own operator: the first seeded user may run jobs.
    await client.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u, roles r WHERE u.username = $1 AND r.name = 'admin' ON CONFLICT DO NOTHING`,
      [username],
    );
    await client.query('VACUUM ANALYZE sessions');
  } finally {
    await client.end();
  }
}

async function runPrune(
  context: ScenarioContext,
): Promise<{ seconds: number; sessions: number; outcome: string }> {
  const tokenResponse = await fetch(`${context.apiUrl}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: context.users.username(0),
      password: context.users.password,
      scope: 'admin:system:write',
    }),
  });
  const { access_token } = (await tokenResponse.json()) as { access_token: string };
  const started = performance.now();
  const response = await fetch(`${context.apiUrl}/api/v1/admin/jobs/session-prune/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}` },
  });
  const run = (await response.json()) as { outcome: string; counts: Record<string, number> };
  return {
    seconds: (performance.now() - started) / 1000,
    sessions: run.counts.sessions ?? 0,
    outcome: run.outcome,
  };
}

/**
 * The prune job deleting BENCH_PRUNE_SESSIONS ended sessions (1,000,000 by default) while
 * logins go on: its rows per second, and the logins' p99 during the prune against a run
 * just before it.
 */
export const pruneUnderLoginsScenario: Scenario = {
  id: 'prune',
  async run(context) {
    const count = Number(process.env.BENCH_PRUNE_SESSIONS ?? 1_000_000);
    await seedEndedSessions(context.databaseUrl, context.users.username(0), count);
    const options = { url: context.apiUrl, connections: LOGIN_CONNECTIONS, requests: loginRequests(context) };

    const before = summarize(await runAutocannon({ ...options, duration: context.config.durationSeconds }));
    await settleLogins(context);

    let loginsDone!: (result: autocannon.Result) => void;
    const loginsResult = new Promise<autocannon.Result>((resolve) => (loginsDone = resolve));
    const logins = autocannon({ ...options, duration: 3600 }, (_error: unknown, result: autocannon.Result) =>
      loginsDone(result),
    );
    const prune = await runPrune(context);
    logins.stop();
    const during = summarize(await loginsResult);
    await settleLogins(context);

    const rowsPerSecond = prune.sessions / prune.seconds;
    const growth = during.p99Ms / before.p99Ms - 1;
    return [
      { scenario: `logins x${LOGIN_CONNECTIONS} before prune`, comparableToBare: false, ...before },
      {
        scenario: `logins x${LOGIN_CONNECTIONS} during prune`,
        comparableToBare: false,
        ...during,
        goal: {
          description: `p99 grows < ${GOAL_P99_GROWTH * 100}% (${(growth * 100).toFixed(0)}%)`,
          met: growth < GOAL_P99_GROWTH,
        },
      },
      {
        scenario: `session-prune ${prune.sessions.toLocaleString('en')} rows`,
        comparableToBare: false,
        requestsPerSecond: rowsPerSecond,
        p50Ms: 0,
        p99Ms: 0,
        ok: prune.sessions,
        failed: prune.outcome === 'succeeded' && prune.sessions === count ? 0 : 1,
        durationSeconds: prune.seconds,
        goal: {
          description: `> ${GOAL_ROWS_PER_SECOND.toLocaleString('en')} rows/s (${Math.round(rowsPerSecond).toLocaleString('en')} rows/s in ${prune.seconds.toFixed(1)} s)`,
          met: rowsPerSecond > GOAL_ROWS_PER_SECOND,
        },
      },
    ];
  },
};
