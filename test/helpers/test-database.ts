import { randomBytes } from 'node:crypto';

import { inject } from 'vitest';

import { databaseUrl, withAdminClient } from '../setup/test-database-server.js';

/** A fresh, migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `${inject('databasePrefix')}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`),
  );
  return databaseUrl(adminUrl, name);
}
