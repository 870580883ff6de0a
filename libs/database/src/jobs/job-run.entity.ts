import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { JobCounts, JobOutcome, JobTrigger } from './job.types.js';

/** One run of a job, on one node: the history admins read and the proof a tick ran once. */
@Entity({ name: 'job_runs' })
@Index('ix_job_runs_job_started_at', ['job', 'startedAt'])
@Index('uq_job_runs_job_scheduled_for', ['job', 'scheduledFor'], {
  unique: true,
  where: 'scheduled_for IS NOT NULL',
})
@Check('ck_job_runs_outcome', `outcome IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted')`)
export class JobRunEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_job_runs' })
  id: string;

  @Column({ type: 'text' })
  job: string;

  @Column({ type: 'text' })
  node: string;

  @Column({ type: 'text' })
  trigger: JobTrigger;

  /** The cron tick this run serves; unique per job, so with many nodes a tick runs once. */
  @Column({ type: 'timestamptz', nullable: true })
  scheduledFor: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'text' })
  outcome: JobOutcome;

  @Column({ type: 'jsonb', default: {} })
  counts: JobCounts;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
