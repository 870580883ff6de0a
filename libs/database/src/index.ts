export { DatabaseModule, type DatabaseModuleOptions } from './database.module.js';
export { buildDataSourceOptions, type DataSourceInputs } from './data-source.options.js';
export { CacheInvalidator } from './cache-invalidator.js';
export { SnakeNamingStrategy } from './snake-naming.strategy.js';
export { EmbeddedDatabase } from './embedded-database.js';
export { primaryPool } from './primary-pool.js';
export { type SqlCall } from './sql-call.js';
export { NotificationListener, type NotificationHandlers } from './notification-listener.js';
export {
  PG_UNIQUE_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  PG_LOCK_NOT_AVAILABLE,
  isLockNotAvailable,
  uniqueViolationConstraint,
} from './postgres-errors.js';
export { BatchPacer } from './jobs/batch-pacer.js';
export { JobsModule } from './jobs/jobs.module.js';
export { JobRegistry } from './jobs/job-registry.js';
export { JobRunner } from './jobs/job-runner.service.js';
export { JobsService, type JobSummary } from './jobs/jobs.service.js';
export { JobRunEntity } from './jobs/job-run.entity.js';
export { JobStateEntity } from './jobs/job-state.entity.js';
export { JobsErrorCode, JobsErrors } from './jobs/jobs.errors.js';
export type { JobContext, JobCounts, JobDefinition, JobOutcome, JobTrigger } from './jobs/job.types.js';

import { JobRunEntity } from './jobs/job-run.entity.js';
import { JobStateEntity } from './jobs/job-state.entity.js';
export const DATABASE_ENTITIES = [JobRunEntity, JobStateEntity];
