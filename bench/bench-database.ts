import { randomBytes } from 'node:crypto';

import pg from 'pg';

/** The local PostgreSQL only: the bench never points its load or its DROP anywhere else. */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withMaintenanceClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database of this run's own; the API migrates it when it starts. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  // Random hex only, so the name is safe to splice into CREATE/DROP DATABASE.
  const name = `pc_bench_${randomBytes(4).toString('hex')}`;
  await withMaintenanceClient((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: `${SERVER_URL}/${name}`,
    // FORCE: a server that failed to stop may still hold connections, and the drop must not wait on it.
    drop: () =>
      withMaintenanceClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
