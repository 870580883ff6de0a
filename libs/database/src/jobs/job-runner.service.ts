import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';
import type { DataSource, QueryRunner } from 'typeorm';

import { JobRegistry } from './job-registry.js';
import { JobRunEntity } from './job-run.entity.js';
import type { JobContext, JobDefinition, JobOutcome, JobTrigger } from './job.types.js';
import { JobsErrorCode, JobsErrors } from './jobs.errors.js';

interface RunningJob {
  controller: AbortController;
  done: Promise<unknown>;
}

/**
 * Runs jobs so that, across any number of nodes, a cron tick runs once and a job never runs
 * twice at the same time: the tick is claimed by a unique (job, scheduled_for) row, and the
 * run holds a PostgreSQL advisory lock on its own connection. Every run is recorded.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private readonly running = new Set<RunningJob>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
  ) {}

  /** A cron tick: nothing when paused or when another node claimed this tick. */
  async runScheduled(name: string, scheduledFor: Date): Promise<JobRunEntity | null> {
    const job = this.registry.get(name);
    if (await this.isPaused(name)) return null;
    const claimed = (await this.dataSource.query(
      `INSERT INTO job_runs (job, node, trigger, scheduled_for, outcome) VALUES ($1, $2, 'schedule', $3, 'running')
       ON CONFLICT (job, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING RETURNING id`,
      [name, this.config.get('NODE_NAME'), scheduledFor],
    )) as { id: string }[];
    if (claimed.length === 0) return null;
    return this.execute(job, claimed[0].id, 'schedule');
  }

  /** Runs a job now, whatever its schedule or pause; 409 when it is running already. */
  async runNow(name: string): Promise<JobRunEntity> {
    const job = this.registry.get(name);
    const run = await this.execute(job, null, 'manual');
    if (!run)
      throw JobsErrors.create(JobsErrorCode.JOB_RUNNING, `${name} is running on another node or here.`);
    return run;
  }

  isPaused(name: string): Promise<boolean> {
    return this.dataSource
      .query(`SELECT paused FROM job_states WHERE name = $1`, [name])
      .then((rows: { paused: boolean }[]) => rows[0]?.paused ?? false);
  }

  /** Asks running jobs to stop at their next batch boundary and waits until they have. */
  async stopAll(): Promise<void> {
    for (const { controller } of this.running) controller.abort();
    await Promise.allSettled([...this.running].map((running) => running.done));
  }

  /** Tracks the whole execution (lock to release), so shutdown waits for all of it. */
  private execute(
    job: JobDefinition,
    claimedRunId: string | null,
    trigger: JobTrigger,
  ): Promise<JobRunEntity | null> {
    const controller = new AbortController();
    const done = this.executeLocked(job, claimedRunId, trigger, controller.signal);
    const running: RunningJob = { controller, done };
    this.running.add(running);
    return done.finally(() => this.running.delete(running));
  }

  private async executeLocked(
    job: JobDefinition,
    claimedRunId: string | null,
    trigger: JobTrigger,
    signal: AbortSignal,
  ): Promise<JobRunEntity | null> {
    const connection = this.dataSource.createQueryRunner();
    await connection.connect();
    try {
      if (!(await this.tryLock(connection, job.name))) {
        if (claimedRunId)
          await this.finish(claimedRunId, 'skipped', {}, 'The previous run is still in progress.');
        return null;
      }
      try {
        const runId = claimedRunId ?? (await this.startManualRun(job.name, trigger));
        await this.perform(job, runId, signal);
        return await this.dataSource.manager.findOneByOrFail(JobRunEntity, { id: runId });
      } finally {
        await connection.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockName(job.name)]);
      }
    } finally {
      await connection.release();
    }
  }

  private async perform(job: JobDefinition, runId: string, signal: AbortSignal): Promise<void> {
    const context: JobContext = { signal, counts: {} };
    const started = Date.now();
    try {
      await job.run(context);
      const outcome: JobOutcome = signal.aborted ? 'interrupted' : 'succeeded';
      await this.finish(runId, outcome, context.counts, null);
      this.logger.log(
        { job: job.name, outcome, counts: context.counts, duration_ms: Date.now() - started },
        `Job ${job.name} ${outcome}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.finish(runId, 'failed', context.counts, message.slice(0, 2000));
      this.logger.error({ job: job.name, err: error, counts: context.counts }, `Job ${job.name} failed`);
    }
  }

  private async tryLock(connection: QueryRunner, name: string): Promise<boolean> {
    const [row] = (await connection.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [
      lockName(name),
    ])) as { locked: boolean }[];
    return row.locked;
  }

  private async startManualRun(name: string, trigger: JobTrigger): Promise<string> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO job_runs (job, node, trigger, outcome) VALUES ($1, $2, $3, 'running') RETURNING id`,
      [name, this.config.get('NODE_NAME'), trigger],
    )) as { id: string }[];
    return row.id;
  }

  private async finish(
    runId: string,
    outcome: JobOutcome,
    counts: Record<string, number>,
    error: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE job_runs SET finished_at = now(), outcome = $2, counts = $3, error = $4 WHERE id = $1`,
      [runId, outcome, JSON.stringify(counts), error],
    );
  }
}

function lockName(job: string): string {
  return `portcullis.job.${job}`;
}
