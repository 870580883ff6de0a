import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled jobs: each run's record (one per cron tick across nodes) and the pause switch. */
export class ScheduledJobs1763900200000 implements MigrationInterface {
  name = 'ScheduledJobs1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE job_runs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        job text NOT NULL,
        node text NOT NULL,
        trigger text NOT NULL,
        scheduled_for timestamptz,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        outcome text NOT NULL,
        counts jsonb NOT NULL DEFAULT '{}',
        error text,
        CONSTRAINT pk_job_runs PRIMARY KEY (id),
        CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_job_runs_job_started_at ON job_runs (job, started_at)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_job_runs_job_scheduled_for ON job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE job_states (
        name text NOT NULL,
        paused boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_job_states PRIMARY KEY (name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE job_states`);
    await queryRunner.query(`DROP TABLE job_runs`);
  }
}
