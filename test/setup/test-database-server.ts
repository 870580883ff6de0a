import pg from 'pg';

import { EmbeddedDatabase } from '../../libs/database/src/embedded-database.js';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL server tests run against: TEST_DATABASE_URL if set, else the local server
 * on 127.0.0.1:5432 if it answers, else an embedded one. Returns an admin URL (database
 * `postgres`) and a stop function.
 */
export async function resolveTestDatabaseServer(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE_URL)
    return { adminUrl: process.env.TEST_DATABASE_URL, stop: async () => undefined };
  if (await answers(LOCAL_SERVER)) return { adminUrl: LOCAL_SERVER, stop: async () => undefined };
  const embedded = new EmbeddedDatabase('.data/test', 5499);
  const url = await embedded.start();
  return { adminUrl: url.replace(/\/portcullis$/, '/postgres'), stop: () => embedded.stop() };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(
  adminUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
