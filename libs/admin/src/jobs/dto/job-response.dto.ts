import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '@portcullis/core';
import type { JobRunEntity, JobSummary } from '@portcullis/database';

export class JobRunResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'session-prune' }) job: string;
  @ApiProperty({ description: 'The node that ran it' }) node: string;
  @ApiProperty({ enum: ['schedule', 'manual'] }) trigger: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'The cron tick it served',
  })
  scheduled_for: string | null;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) finished_at: string | null;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed', 'skipped', 'interrupted'] }) outcome: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { sessions: 1200 } })
  counts: Record<string, number>;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
}

export class JobResponseDto {
  @ApiProperty({ example: 'session-prune' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'Cron expression (UTC)', example: '*/15 * * * *' }) schedule: string;
  @ApiProperty() paused: boolean;
  @ApiProperty({ format: 'date-time' }) next_run_at: string;
  @ApiPropertyOptional({ nullable: true, type: JobRunResponseDto }) last_run: JobRunResponseDto | null;
}

export class JobListResponseDto {
  @ApiProperty({ type: [JobResponseDto] }) items: JobResponseDto[];
}

export class JobRunPageDto extends PageOf(JobRunResponseDto) {}

export function toJobRunResponse(run: JobRunEntity): JobRunResponseDto {
  return {
    id: run.id,
    job: run.job,
    node: run.node,
    trigger: run.trigger,
    scheduled_for: run.scheduledFor?.toISOString() ?? null,
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt?.toISOString() ?? null,
    outcome: run.outcome,
    counts: run.counts,
    error: run.error,
  };
}

export function toJobResponse(job: JobSummary): JobResponseDto {
  return {
    name: job.name,
    description: job.description,
    schedule: job.schedule,
    paused: job.paused,
    next_run_at: job.nextRunAt.toISOString(),
    last_run: job.lastRun ? toJobRunResponse(job.lastRun) : null,
  };
}
