import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BatchPacer } from '@portcullis/database';
import type { DataSource } from 'typeorm';

import { AuditAction } from './audit-actions.js';
import { AuditService, SYSTEM_ACTOR } from './audit.service.js';

/**
 * The one path allowed to delete audit events. It cuts a prefix off the chain (every event
 * before the first one at or after the cutoff), so what remains still verifies from its first
 * event, the new anchor. The newest event always stays, so the chain never restarts at 1.
 */
@Injectable()
export class AuditRetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Deletes events older than `cutoff`, `batchSize` per transaction, resting between batches as
   * `pacer` says; audits and returns the count.
   */
  async deleteOlderThan(
    cutoff: Date,
    batchSize: number,
    signal?: AbortSignal,
    pacer?: BatchPacer,
  ): Promise<number> {
    const [{ cut }] = (await this.dataSource.query(
      `SELECT coalesce(
         (SELECT sequence FROM audit_events WHERE occurred_at >= $1 ORDER BY sequence LIMIT 1),
         (SELECT max(sequence) FROM audit_events)) AS cut`,
      [cutoff],
    )) as { cut: string | null }[];
    if (cut === null) return 0;
    let deleted = 0;
    for (;;) {
      if (signal?.aborted) break;
      const batch = await this.deleteBatchBefore(cut, batchSize);
      deleted += batch;
      if (batch < batchSize) break;
      await pacer?.rest();
    }
    if (deleted > 0) {
      await this.audit.record({
        action: AuditAction.AUDIT_EVENTS_DELETED,
        outcome: 'success',
        actor: SYSTEM_ACTOR,
        details: { deleted, older_than: cutoff.toISOString(), before_sequence: Number(cut) },
      });
    }
    return deleted;
  }

  private deleteBatchBefore(cut: string, batchSize: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Lets the append-only trigger pass this transaction's DELETE, and nothing else.
      await manager.query(`SELECT set_config('portcullis.audit_retention', 'on', true)`);
      const [, count] = (await manager.query(
        `DELETE FROM audit_events WHERE sequence IN (
           SELECT sequence FROM audit_events WHERE sequence < $1 ORDER BY sequence LIMIT $2)`,
        [cut, batchSize],
      )) as [unknown, number];
      return count;
    });
  }
}
