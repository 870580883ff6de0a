import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DataSourceInputs {
  url: string;
  poolSize?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  applicationName?: string;
}

/**
 * The one set of DataSource options: the app's TypeOrmModule and the TypeORM CLI
 * (ormconfig.ts) both build theirs here. The schema only ever changes through migrations.
 */
export function buildDataSourceOptions(inputs: DataSourceInputs): DataSourceOptions {
  return {
    type: 'postgres',
    url: inputs.url,
    entities: inputs.entities ?? [],
    migrations: inputs.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: inputs.applicationName ?? 'portcullis',
    extra: {
      max: inputs.poolSize ?? 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
    },
  };
}
