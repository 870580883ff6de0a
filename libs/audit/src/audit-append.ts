import type { SqlCall } from '@portcullis/database';

import type { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import { canonicalAuditParts, type AuditChainContent } from './audit-hash.js';

/** An event as it happened, before the chain gives it a sequence and a previous hash. */
export type UnchainedAuditEvent = Omit<AuditChainContent, 'sequence'> & {
  outcome: AuditOutcome;
  actorType: AuditActorType;
};

const APPEND_ARRAY_TYPES = ['timestamptz', ...Array<string>(13).fill('text')] as const;

/**
 * The call of audit_append (see its migration) that appends `events`, in order, in one
 * statement whatever their number: one array per column, placeholders numbered from
 * `firstParameter` so the call can share a statement with another write. Times go as ISO text
 * (whole milliseconds, as hashed) and details as JSON text, so what is stored is exactly what
 * was hashed; each event's canonical text goes cut around the two values the chain fills in.
 */
export function auditAppendCall(events: readonly UnchainedAuditEvent[], firstParameter = 1): SqlCall {
  const column = <K extends keyof UnchainedAuditEvent>(key: K) => events.map((event) => event[key]);
  const parts = events.map((event) => canonicalAuditParts(event));
  const parameters = [
    events.map((event) => event.occurredAt.toISOString()),
    column('action'),
    column('outcome'),
    column('actorType'),
    column('actorId'),
    column('targetType'),
    column('targetId'),
    column('ip'),
    column('userAgent'),
    column('requestId'),
    events.map((event) => JSON.stringify(event.details)),
    parts.map((part) => part.beforePreviousHash),
    parts.map((part) => part.beforeSequence),
    parts.map((part) => part.afterSequence),
  ];
  const placeholders = APPEND_ARRAY_TYPES.map((type, index) => `$${firstParameter + index}::${type}[]`);
  return { sql: `audit_append(${placeholders.join(', ')})`, parameters };
}
