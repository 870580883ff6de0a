import { AppConfig } from '@portcullis/core';
import { PasswordHasher } from '@portcullis/users';
import pg from 'pg';

import { LOGIN_PATH } from '../api-client.js';
import { seedDirectory } from '../admin-seed.js';
import { percentile } from '../load.js';
import type { Scenario, ScenarioContext, ScenarioRow } from './scenario.js';

const USERS_PATH = '/api/v1/admin/users';
const GOAL_P95_MS = 50;
const WARMUP_REQUESTS = 100;
const MEASURED_REQUESTS = 1000;
/**
 * One request at a time: the goal is each request's latency, and on a small machine shared by
 * the bench, the API and PostgreSQL, more in flight would measure queueing for the cores.
 */
const CONCURRENCY = 1;
/** How deep the cursor case pages: item 40,000 of the list (page 2,000 at 20 a page). */
const DEEP_ITEMS = 40_000;

function directorySize(): number {
  const raw = process.env.BENCH_ADMIN_USERS;
  const value = raw === undefined || raw === '' ? 100_000 : Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`BENCH_ADMIN_USERS must be a positive integer, got "${raw}"`);
  return value;
}

async function adminToken(context: ScenarioContext): Promise<string> {
  const client = new pg.Client({ connectionString: context.databaseUrl });
  await client.connect();
  try {
    // The bench's own operator: the first seeded user may read users.
    await client.query(
      `INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM users u, roles r
        WHERE u.username = $1 AND r.name = 'admin' ON CONFLICT DO NOTHING`,
      [context.users.username(0)],
    );
  } finally {
    await client.end();
  }
  const response = await fetch(`${context.apiUrl}${LOGIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: context.users.username(0),
      password: context.users.password,
      scope: 'admin:users:read',
    }),
  });
  if (!response.ok) throw new Error(`admin login answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function getPage(
  url: string,
  token: string,
): Promise<{ next_cursor: string | null; items: unknown[] }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { next_cursor: string | null; items: unknown[] };
}

/** Follows next_cursor (100 a page) until DEEP_ITEMS items lie behind; answers that cursor. */
async function deepCursor(apiUrl: string, token: string): Promise<string> {
  let cursor: string | null = null;
  for (let seen = 0; seen < DEEP_ITEMS; seen += 100) {
    const page = await getPage(`${apiUrl}${USERS_PATH}?limit=100${cursor ? `&cursor=${cursor}` : ''}`, token);
    if (!page.next_cursor) throw new Error(`the list ended before item ${DEEP_ITEMS}`);
    cursor = page.next_cursor;
  }
  return cursor!;
}

/**
 * `requests` GETs of one URL, CONCURRENCY at a time, each timed (autocannon reports no p95). Failed answers count as failures and not as latencies.
 */
async function measure(url: string, token: string, requests: number) {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const begun = performance.now();
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.ok) latencies.push(performance.now() - begun);
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, failed, seconds };
}

/**
 * GET /admin/users at BENCH_ADMIN_USERS users (default 100,000, ~3 sessions each) with the
 * cache off: a search term, a filter combination and a page 2,000 deep by cursor, each to
 * p95 under 50 ms. Every item counts its live sessions in the same statement.
 */
export const adminUsersScenario: Scenario = {
  id: 'admin',
  async run(context) {
    const count = directorySize();
    const hasher = new PasswordHasher(
      AppConfig.fromEnvironment({}, { BCRYPT_COST: context.config.bcryptCost, PASSWORD_HASH_THREADS: 1 }),
    );
    let passwordHash: string;
    try {
      passwordHash = await hasher.hash('not a password anyone signs in with');
    } finally {
      await hasher.onModuleDestroy();
    }
    const seedStarted = performance.now();
    await seedDirectory(context.databaseUrl, count, passwordHash);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const token = await adminToken(context);
    const createdAfter = new Date(Date.now() - 365 * 86_400_000).toISOString();
    const cases: [string, string][] = [
      ['search "lovel"', `${USERS_PATH}?search=lovel`],
      [
        'filters is_active, role, created_after',
        `${USERS_PATH}?is_active=true&role=user&created_after=${createdAfter}`,
      ],
      [`cursor at item ${DEEP_ITEMS}`, `${USERS_PATH}?cursor=${await deepCursor(context.apiUrl, token)}`],
    ];
    const rows: ScenarioRow[] = [];
    for (const [name, path] of cases) {
      const url = `${context.apiUrl}${path}`;
      await measure(url, token, WARMUP_REQUESTS);
      const { latencies, failed, seconds } = await measure(url, token, MEASURED_REQUESTS);
      const round = (value: number) => Math.round(value * 10) / 10;
      const p95 = round(percentile(latencies, 0.95));
      rows.push({
        scenario: `GET /admin/users ${name} (${count} users)`,
        comparableToBare: false,
        requestsPerSecond: latencies.length / seconds,
        p50Ms: round(percentile(latencies, 0.5)),
        p99Ms: round(percentile(latencies, 0.99)),
        ok: latencies.length,
        failed,
        durationSeconds: seconds,
        goal: { description: `p95 ${p95} ms < ${GOAL_P95_MS} ms`, met: failed === 0 && p95 < GOAL_P95_MS },
        details: { p95Ms: p95, users: count, seedSeconds: round(seedSeconds), concurrency: CONCURRENCY },
      });
    }
    return rows;
  },
};
