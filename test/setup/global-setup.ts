import 'reflect-metadata';

import { buildDataSourceOptions } from '@portcullis/database';
import { DataSource } from 'typeorm';
import type { TestProject } from 'vitest/node';

import { MIGRATIONS } from '../../migrations/index.js';
import { databaseUrl, resolveTestDatabaseServer, withAdminClient } from './test-database-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
    databasePrefix: string;
  }
}

/**
 * Once per run: find a PostgreSQL server, build a template database with every migration
 * applied, and let each test file clone its own database from it (CREATE DATABASE ...
 * TEMPLATE is a file copy: far faster than migrating per file). Everything is dropped after.
 */
export default async function setup(project: TestProject) {
  const server = await resolveTestDatabaseServer();
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const prefix = `pc_test_${runId}`;
  const template = `${prefix}_template`;

  await withAdminClient(server.adminUrl, (client) => client.query(`CREATE DATABASE ${template}`));
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: databaseUrl(server.adminUrl, template),
      migrations: MIGRATIONS,
      poolSize: 1,
    }),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();

  project.provide('databaseAdminUrl', server.adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databasePrefix', prefix);

  return async () => {
    await withAdminClient(server.adminUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`${prefix}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
    await server.stop();
  };
}
