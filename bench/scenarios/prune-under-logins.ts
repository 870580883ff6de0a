import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';

import { LOGIN_PATH } from '../api-client.js';
import { TimedResponses } from '../load.js';
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

/** A token of the bench's operator (the first seeded user) that may run jobs. */
async function operatorToken(context: ScenarioContext): Promise<string> {
  const response = await fetch(`${context.apiUrl}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: context.users.username(0),
      password: context.users.password,
      scope: 'admin:system:write',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function runPrune(
  apiUrl: string,
  token: string,
): Promise<{ seconds: number; sessions: number; outcome: string }> {
  const started = performance.now();
  const response = await fetch(`${apiUrl}/api/v1/admin/jobs/session-prune/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
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
 * logins go on: its rows per second, and the logins' p99 during the prune against the
 * `BENCH_DURATION` just before it. Both windows come from one login load on the same
 * connections: two separate runs can spread their connections differently over the API's
 * workers (three on one, one on the other), which alone raised the p50 by 40% in one run.
 */
export const pruneUnderLoginsScenario: Scenario = {
  id: 'prune',
  async run(context) {
    const count = Number(process.env.BENCH_PRUNE_SESSIONS ?? 1_000_000);
    await seedEndedSessions(context.databaseUrl, context.users.username(0), count);
    const token = await operatorToken(context);

    const logins = new TimedResponses({
      url: context.apiUrl,
      connections: LOGIN_CONNECTIONS,
      requests: loginRequests(context),
    });
    await sleep(context.config.warmupSeconds * 1000);
    const beforeStarted = performance.now();
    await sleep(context.config.durationSeconds * 1000);
    const pruneStarted = performance.now();
    const prune = await runPrune(context.apiUrl, token);
    const pruneEnded = performance.now();
    await logins.stop();
    await settleLogins(context);

    const before = logins.between(beforeStarted, pruneStarted);
    const during = logins.between(pruneStarted, pruneEnded);
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
