import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';

import { JobRegistry } from './job-registry.js';
import { JobRunEntity } from './job-run.entity.js';
import { JobRunner } from './job-runner.service.js';
import { JobScheduler } from './job-scheduler.service.js';
import { JobStateEntity } from './job-state.entity.js';
import { JobsService } from './jobs.service.js';

/**
 * Scheduled maintenance: libs register their jobs with JobRegistry; the scheduler runs them
 * when RUN_JOBS is on, once per tick across all nodes.
 */
@Module({
  imports: [ScheduleModule.forRoot(), TypeOrmModule.forFeature([JobRunEntity, JobStateEntity])],
  providers: [JobRegistry, JobRunner, JobScheduler, JobsService],
  exports: [JobRegistry, JobRunner, JobsService],
})
export class JobsModule {}
