import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import { BatchPacer, type JobContext, JobRegistry } from '@portcullis/database';

import { AuditRetentionService } from './audit-retention.service.js';

export const AUDIT_RETENTION_JOB = 'audit-retention';

/** Off unless AUDIT_RETENTION_DAYS is set: then drops older audit events in paced batches. */
@Injectable()
export class AuditRetentionJob implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly retention: AuditRetentionService,
  ) {}

  onModuleInit(): void {
    const days = this.config.get('AUDIT_RETENTION_DAYS');
    this.registry.register({
      name: AUDIT_RETENTION_JOB,
      description: days
        ? `Deletes audit events older than ${days} days`
        : 'Off: AUDIT_RETENTION_DAYS is not set, so audit events are kept',
      schedule: this.config.get('AUDIT_RETENTION_SCHEDULE'),
      run: (context) => this.run(context),
    });
  }

  private async run(context: JobContext): Promise<void> {
    const days = this.config.get('AUDIT_RETENTION_DAYS');
    context.counts.audit_events = 0;
    if (!days) return;
    const cutoff = new Date(Date.now() - days * 86_400_000);
    context.counts.audit_events = await this.retention.deleteOlderThan(
      cutoff,
      this.config.get('PRUNE_BATCH_SIZE'),
      context.signal,
      new BatchPacer(this.config.get('PRUNE_DUTY_PERCENT'), context.signal),
    );
  }
}
