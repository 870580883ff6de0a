import { setTimeout as sleep } from 'node:timers/promises';

import pg from 'pg';

const POLL_INTERVAL_MS = 200;
/** Consecutive quiet polls needed: a backlog would take a free connection within one poll. */
const QUIET_POLLS = 5;

/**
 * Waits until requests a run abandoned stop working the database: no connection of the bench
 * database busy in a statement or in an open transaction for a second. Requests still queued
 * for a pooled connection would grab one as soon as it is idle, so a quiet pool means no backlog.
 */
export async function settleDatabase(databaseUrl: string, timeoutMs = 120_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < QUIET_POLLS) {
      if (Date.now() > deadline)
        throw new Error(`The API's database connections stayed busy for ${timeoutMs} ms`);
      const { rows } = await client.query<{ busy: number }>(
        `SELECT count(*)::int AS busy FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      quiet = rows[0].busy === 0 ? quiet + 1 : 0;
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    await client.end();
  }
}
