export { DatabaseModule, type DatabaseModuleOptions } from './database.module.js';
export { buildDataSourceOptions, type DataSourceInputs } from './data-source.options.js';
export { SnakeNamingStrategy } from './snake-naming.strategy.js';
export { EmbeddedDatabase } from './embedded-database.js';
export {
  PG_UNIQUE_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  uniqueViolationConstraint,
} from './postgres-errors.js';
