import type { EntityManager } from 'typeorm';

import type { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import type { AuditChainContent } from './audit-hash.js';

/** An event with its place in the chain, as audit_events stores it. */
export interface ChainedAuditRow extends AuditChainContent {
  sequence: string;
  outcome: AuditOutcome;
  actorType: AuditActorType;
  previousHash: string | null;
  hash: string;
}

/**
 * Inserts chained events in one statement, one array per column, however many: the token
 * endpoint appends a batch per commit, and building a multi-row INSERT through TypeORM's query
 * builder cost more than the rest of the append. Times go as ISO text (whole milliseconds, as
 * hashed) and details as JSON text, so what is stored is exactly what was hashed.
 */
export async function insertChainedAuditRows(manager: EntityManager, rows: ChainedAuditRow[]): Promise<void> {
  const column = <K extends keyof ChainedAuditRow>(key: K) => rows.map((row) => row[key]);
  await manager.query(
    `INSERT INTO audit_events (sequence, occurred_at, action, outcome, actor_type, actor_id, target_type,
       target_id, ip, user_agent, request_id, details, previous_hash, hash)
     SELECT sequence, occurred_at, action, outcome, actor_type, actor_id, target_type,
       target_id, ip, user_agent, request_id, details::jsonb, previous_hash, hash
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
         AS e(sequence, occurred_at, action, outcome, actor_type, actor_id, target_type,
           target_id, ip, user_agent, request_id, details, previous_hash, hash)`,
    [
      column('sequence'),
      rows.map((row) => row.occurredAt.toISOString()),
      column('action'),
      column('outcome'),
      column('actorType'),
      column('actorId'),
      column('targetType'),
      column('targetId'),
      column('ip'),
      column('userAgent'),
      column('requestId'),
      rows.map((row) => JSON.stringify(row.details)),
      column('previousHash'),
      column('hash'),
    ],
  );
}
