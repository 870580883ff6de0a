// The DataSource the TypeORM CLI uses (npm run migration:*), built from the same options as the app.
import { AppConfig } from '@portcullis/core';
import { buildDataSourceOptions } from '@portcullis/database';
import { ENTITIES } from './apps/api/src/entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { DataSource } from 'typeorm';

const config = AppConfig.fromEnvironment();
const url =
  config.get('DATABASE_URL') ??
  `postgres://postgres:postgres@127.0.0.1:${config.get('EMBEDDED_DATABASE_PORT')}/portcullis`;

export default new DataSource(
  buildDataSourceOptions({
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    applicationName: 'portcullis-cli',
  }),
);
