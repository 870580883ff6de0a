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
