import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { computeAuditHash, type AuditChainContent } from './audit-hash.js';
import { HeapRelief } from './heap-relief.js';

export type AuditChainBreakReason = 'hash_mismatch' | 'previous_hash_mismatch';

export type AuditChainVerification =
  | { ok: true; checked: number; lastSequence: number | null }
  | {
      ok: false;
      /** Events examined, the broken one included. */
      checked: number;
      firstBroken: { sequence: number; id: string; reason: AuditChainBreakReason };
    };

interface ChainRow extends AuditChainContent {
  id: string;
  sequence: string;
  previousHash: string | null;
  hash: string;
}

/** Rows per keyset read: big enough to amortise the round trip, small enough to stay light. */
const VERIFY_BATCH = 10_000;
/** Rows read between two garbage collections (see HeapRelief). */
const VERIFY_GC_BUDGET = 30_000;

/**
 * Walks the whole chain in sequence order and recomputes every hash in Node. The first
 * remaining event is the anchor: retention may have deleted the events before it, so its
 * previous_hash is taken as it is (its own hash still covers it).
 */
@Injectable()
export class AuditChainVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async verify(): Promise<AuditChainVerification> {
    let checked = 0;
    let previous: ChainRow | undefined;
    const relief = new HeapRelief(VERIFY_GC_BUDGET);
    let next = this.batchAfter('0');
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      // Read the next batch while this one is hashed.
      next =
        rows.length === VERIFY_BATCH ? this.batchAfter(rows[rows.length - 1].sequence) : Promise.resolve([]);
      for (const row of rows) {
        checked += 1;
        const reason = brokenLink(row, previous);
        if (reason) {
          await next.catch(() => undefined);
          return { ok: false, checked, firstBroken: { sequence: Number(row.sequence), id: row.id, reason } };
        }
        previous = row;
      }
      await relief.consumed(rows.length);
    }
    return { ok: true, checked, lastSequence: previous ? Number(previous.sequence) : null };
  }

  private batchAfter(sequence: string): Promise<ChainRow[]> {
    return this.dataSource.query(
      `SELECT id, sequence, occurred_at AS "occurredAt", action, outcome, actor_type AS "actorType",
              actor_id AS "actorId", target_type AS "targetType", target_id AS "targetId", ip,
              user_agent AS "userAgent", request_id AS "requestId", details,
              previous_hash AS "previousHash", hash
         FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
      [sequence, VERIFY_BATCH],
    ) as Promise<ChainRow[]>;
  }
}

function brokenLink(row: ChainRow, previous: ChainRow | undefined): AuditChainBreakReason | undefined {
  if (computeAuditHash(row, row.previousHash) !== row.hash) return 'hash_mismatch';
  if (previous && row.previousHash !== previous.hash) return 'previous_hash_mismatch';
  return undefined;
}
