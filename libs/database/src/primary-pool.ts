import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * The pg pool of the primary behind a TypeORM DataSource, for the few hot-path reads that run
 * as named prepared statements: PostgreSQL plans them once per connection, and TypeORM's
 * per-query work (query building, result transformation) stays off those paths.
 */
export function primaryPool(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
