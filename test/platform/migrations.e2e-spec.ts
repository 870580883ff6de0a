import 'reflect-metadata';

import { buildDataSourceOptions } from '@portcullis/database';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ENTITIES } from '../../apps/api/src/entities.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createTestDatabase } from '../helpers/test-database.js';

describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = new DataSource(
      buildDataSourceOptions({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 1 }),
    );
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('should describe exactly the schema the entities map (nothing left to generate)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('should end the client_credentials tokens that had records when they stop being stored', async () => {
    const last = MIGRATIONS.at(-1)!;
    expect(last.name).toBe('ClientCredentialsNotStored1764700000000');
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.query(
      `INSERT INTO oauth_clients (client_id, name, type, grant_types, token_endpoint_auth_method, is_active)
       VALUES ('machine', 'M', 'confidential', '{client_credentials}', 'client_secret_basic', true),
              ('web', 'W', 'confidential', '{authorization_code}', 'client_secret_basic', true),
              ('off', 'O', 'confidential', '{authorization_code}', 'client_secret_basic', false)`,
    );
    await dataSource.query(
      `INSERT INTO oidc_payloads (model, id, payload) VALUES ('ClientCredentials', 'digest', '{"clientId":"machine"}')`,
    );
    await dataSource.runMigrations({ transaction: 'each' });
    const clients = await dataSource.query(
      `SELECT client_id, tokens_revoked_at IS NOT NULL AS ended FROM oauth_clients ORDER BY client_id`,
    );
    expect(clients).toEqual([
      { client_id: 'machine', ended: true },
      { client_id: 'off', ended: true },
      { client_id: 'web', ended: false },
    ]);
    const records = await dataSource.query(`SELECT 1 FROM oidc_payloads WHERE model = 'ClientCredentials'`);
    expect(records).toEqual([]);
    await dataSource.query(`DELETE FROM oauth_clients WHERE client_id IN ('machine', 'web', 'off')`);
  });

  it('should run every migration down to zero and back up', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);

    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    const roles = await dataSource.query(`SELECT name FROM roles ORDER BY name`);
    expect(roles).toEqual([{ name: 'admin' }, { name: 'user' }]);
  });
});
