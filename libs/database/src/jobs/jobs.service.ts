import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { buildPage, decodeCursor, type Page } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { JobRegistry } from './job-registry.js';
import { JobRunEntity } from './job-run.entity.js';
import { JobScheduler } from './job-scheduler.service.js';

export interface JobSummary {
  name: string;
  description: string;
  schedule: string;
  paused: boolean;
  nextRunAt: Date;
  lastRun: JobRunEntity | null;
}

/** What admins see and change about jobs: schedules, pause state, history. */
@Injectable()
export class JobsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
  ) {}

  async list(): Promise<JobSummary[]> {
    const jobs = this.registry.all();
    const names = jobs.map((job) => job.name);
    const paused = new Set(
      (
        (await this.dataSource.query(`SELECT name FROM job_states WHERE paused AND name = ANY($1)`, [
          names,
        ])) as { name: string }[]
      ).map((row) => row.name),
    );
    const lastRuns = await this.dataSource
      .getRepository(JobRunEntity)
      .createQueryBuilder('run')
      .distinctOn(['run.job'])
      .where('run.job IN (:...names)', { names: names.length > 0 ? names : [''] })
      .orderBy('run.job')
      .addOrderBy('run.started_at', 'DESC')
      .getMany();
    const lastByJob = new Map(lastRuns.map((run) => [run.job, run]));
    return jobs.map((job) => ({
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      paused: paused.has(job.name),
      nextRunAt: this.scheduler.nextRun(job.name),
      lastRun: lastByJob.get(job.name) ?? null,
    }));
  }

  /** Stored in PostgreSQL, so every node's scheduler honours it at its next tick. */
  async setPaused(name: string, paused: boolean): Promise<JobSummary> {
    this.registry.get(name);
    await this.dataSource.query(
      `INSERT INTO job_states (name, paused, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()`,
      [name, paused],
    );
    return (await this.list()).find((job) => job.name === name)!;
  }

  /** The last run that did its work (succeeded or was interrupted), for its counts. */
  lastCompletedRun(name: string): Promise<JobRunEntity | null> {
    return this.dataSource.getRepository(JobRunEntity).findOne({
      where: [
        { job: name, outcome: 'succeeded' },
        { job: name, outcome: 'interrupted' },
      ],
      order: { finishedAt: 'DESC' },
    });
  }

  /** The run history of a job, newest first, by offset or by cursor. */
  async runs(
    name: string,
    query: { limit: number; offset: number; cursor?: string },
  ): Promise<Page<JobRunEntity>> {
    this.registry.get(name);
    const builder = this.dataSource
      .getRepository(JobRunEntity)
      .createQueryBuilder('run')
      .where('run.job = :name', { name })
      .orderBy('run.started_at', 'DESC')
      .addOrderBy('run.id', 'DESC')
      .take(query.limit + 1);
    let total: number | undefined;
    if (query.cursor) {
      const position = decodeCursor(query.cursor, ['started_at', 'id'] as const);
      builder.andWhere('(run.started_at, run.id) < (:startedAt, :id)', {
        startedAt: position.started_at,
        id: position.id,
      });
    } else {
      builder.skip(query.offset);
      total = await this.dataSource.getRepository(JobRunEntity).countBy({ job: name });
    }
    const rows = await builder.getMany();
    return buildPage(rows, {
      limit: query.limit,
      offset: query.cursor ? 0 : query.offset,
      total,
      toItem: (run) => run,
      cursorOf: (run) => ({ started_at: run.startedAt.toISOString(), id: run.id }),
    });
  }
}
