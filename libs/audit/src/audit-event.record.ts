import type { AuditEventEntity, AuditActorType, AuditOutcome } from './audit-event.entity.js';

/** An audit event as the admin API and its exports show it (snake_case, no entity). */
export interface AuditEventRecord {
  id: string;
  sequence: number;
  occurred_at: string;
  action: string;
  outcome: AuditOutcome;
  actor: { type: AuditActorType; id: string | null };
  target: { type: string; id: string | null } | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  previous_hash: string | null;
  hash: string;
}

export function toAuditEventRecord(event: AuditEventEntity): AuditEventRecord {
  return {
    id: event.id,
    sequence: Number(event.sequence),
    occurred_at: event.occurredAt.toISOString(),
    action: event.action,
    outcome: event.outcome,
    actor: { type: event.actorType, id: event.actorId },
    target: event.targetType === null ? null : { type: event.targetType, id: event.targetId },
    ip: event.ip,
    user_agent: event.userAgent,
    request_id: event.requestId,
    details: event.details,
    previous_hash: event.previousHash,
    hash: event.hash,
  };
}
