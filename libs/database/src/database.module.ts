import { type DynamicModule, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';

import { CacheInvalidator } from './cache-invalidator.js';
import { PostgresCachePeers } from './cache-peers.js';
import { buildDataSourceOptions, type DataSourceInputs } from './data-source.options.js';
import { EmbeddedDatabase } from './embedded-database.js';

export interface DatabaseModuleOptions {
  migrations: NonNullable<DataSourceInputs['migrations']>;
}

/** Holds the embedded server, when there is one, so it stops after the pool has closed. */
class EmbeddedDatabaseHolder implements OnApplicationShutdown {
  server?: EmbeddedDatabase;

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
  }
}

/**
 * PostgreSQL through TypeORM. With DATABASE_URL unset, an embedded PostgreSQL starts first.
 * Pending migrations run at start unless MIGRATIONS_RUN=false. Global, for CacheInvalidator.
 * Also carries the in-memory cache's invalidations between processes (PostgresCachePeers).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const holder = new EmbeddedDatabaseHolder();
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: async (config: AppConfig): Promise<TypeOrmModuleOptions> => {
            let url = config.get('DATABASE_URL');
            if (!url) {
              new Logger(DatabaseModule.name).warn(
                'DATABASE_URL is not set: starting an embedded PostgreSQL',
              );
              holder.server = new EmbeddedDatabase(
                config.get('DATA_DIR'),
                config.get('EMBEDDED_DATABASE_PORT'),
              );
              url = await holder.server.start();
            }
            return {
              ...buildDataSourceOptions({
                url,
                poolSize: config.get('DATABASE_POOL_SIZE'),
                migrations: options.migrations,
              }),
              migrationsRun: config.get('MIGRATIONS_RUN'),
              autoLoadEntities: true,
            } as TypeOrmModuleOptions;
          },
        }),
      ],
      providers: [
        { provide: EmbeddedDatabaseHolder, useValue: holder },
        CacheInvalidator,
        PostgresCachePeers,
      ],
      exports: [CacheInvalidator],
      global: true,
    };
  }
}
