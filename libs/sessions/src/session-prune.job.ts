import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import { BatchPacer, type JobContext, JobRegistry } from '@portcullis/database';
import { LoginThrottleService } from '@portcullis/users';

import { SessionsService } from './sessions.service.js';

export const SESSION_PRUNE_JOB = 'session-prune';

/** One kind of stale row the prune job removes, a batch at a time. */
export interface PruneStep {
  /** The key of its count in the run record. */
  name: string;
  /** One pass for a run: deletes a batch of about `limit` rows per step, yielding how many went. */
  batches(limit: number): AsyncIterable<number>;
}

/** A pass for a step that deletes "up to `limit` of its rows": it is done after a short batch. */
export async function* untilShortBatch(
  limit: number,
  pruneBatch: (limit: number) => Promise<number>,
): AsyncGenerator<number> {
  for (;;) {
    const deleted = await pruneBatch(limit);
    yield deleted;
    if (deleted < limit) return;
  }
}

/**
 * Deletes what has outlived its use: ended sessions past SESSION_RETENTION (and the
 * provider records of their grants), expired lockout counters, and whatever other libs add
 * (expired provider records). Small batches in short transactions, paced (PRUNE_DUTY_PERCENT),
 * so logins go on.
 */
@Injectable()
export class SessionPruneJob implements OnModuleInit {
  private readonly steps: PruneStep[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly throttles: LoginThrottleService,
  ) {}

  onModuleInit(): void {
    this.addStep({
      name: 'sessions',
      batches: (limit) => this.sessions.deleteEndedBefore(this.config.get('SESSION_RETENTION'), limit),
    });
    this.addStep({
      name: 'lockout_counters',
      batches: (limit) => untilShortBatch(limit, (batch) => this.throttles.deleteExpired(batch)),
    });
    this.registry.register({
      name: SESSION_PRUNE_JOB,
      description:
        'Deletes ended sessions past their retention, expired provider records and lockout counters',
      schedule: this.config.get('SESSION_PRUNE_SCHEDULE'),
      run: (context) => this.run(context),
    });
  }

  addStep(step: PruneStep): void {
    this.steps.push(step);
  }

  private async run(context: JobContext): Promise<void> {
    const batchSize = this.config.get('PRUNE_BATCH_SIZE');
    const pacer = new BatchPacer(this.config.get('PRUNE_DUTY_PERCENT'), context.signal);
    for (const step of this.steps) {
      context.counts[step.name] = 0;
      if (context.signal.aborted) return;
      // Stops at a batch boundary when the run is aborted (graceful shutdown).
      for await (const deleted of step.batches(batchSize)) {
        context.counts[step.name] += deleted;
        if (context.signal.aborted) return;
        await pacer.rest();
      }
    }
  }
}
