import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Counts of audit events by action over a recent window, for the dashboard. Served by the
 * (action, occurred_at) index: one range scan per action, however long the trail.
 */
@Injectable()
export class AuditStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** How many events of each of `actions` occurred at or after `since` (0 for none). */
  async countActionsSince(actions: readonly string[], since: Date): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT action, count(*)::int AS count FROM audit_events
        WHERE action = ANY($1) AND occurred_at >= $2 GROUP BY action`,
      [actions, since],
    )) as { action: string; count: number }[];
    const counts = Object.fromEntries(actions.map((action) => [action, 0]));
    for (const row of rows) counts[row.action] = row.count;
    return counts;
  }
}
