import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@portcullis/core';
import { CronJob, CronTime } from 'cron';

import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.service.js';

/**
 * Starts a cron timer per registered job when RUN_JOBS is on. Every node may run the
 * scheduler: JobRunner makes each tick run once. On shutdown, timers stop and a running
 * job is let reach a batch boundary.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly runner: JobRunner,
    private readonly schedulerRegistry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('RUN_JOBS')) return;
    for (const job of this.registry.all()) {
      const cron = CronJob.from({
        cronTime: job.schedule,
        timeZone: 'UTC',
        onTick: () => {
          // The tick's own time (to the second), identical on every node for the same tick.
          const scheduledFor = new Date(Math.round(Date.now() / 1000) * 1000);
          this.runner.runScheduled(job.name, scheduledFor).catch((error: unknown) => {
            this.logger.error({ err: error, job: job.name }, `Could not run ${job.name}`);
          });
        },
      });
      this.schedulerRegistry.addCronJob(job.name, cron);
      cron.start();
    }
    this.logger.log(`Scheduled ${this.registry.all().length} jobs`);
  }

  /** When the job's next tick is due (every node computes the same from the schedule). */
  nextRun(name: string): Date {
    return new CronTime(this.registry.get(name).schedule, 'UTC').sendAt().toJSDate();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const job of this.registry.all()) {
      if (this.schedulerRegistry.doesExist('cron', job.name)) {
        void this.schedulerRegistry.getCronJob(job.name).stop();
        this.schedulerRegistry.deleteCronJob(job.name);
      }
    }
    await this.runner.stopAll();
  }
}
