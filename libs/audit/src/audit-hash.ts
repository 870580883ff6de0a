import { createHash } from 'node:crypto';

/** What an event's hash covers: all of its content, in the form it is stored in. */
export interface AuditChainContent {
  sequence: string | number | bigint;
  occurredAt: Date;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/**
 * JSON with the keys of every object sorted, so equal content always gives equal text
 * whatever order jsonb hands the keys back in. Undefined members are left out, as
 * JSON.stringify (and so the stored jsonb) leaves them out.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * An event's canonical text around the two values that only the chain gives it: its previous
 * hash and its sequence. PostgreSQL joins them when it appends the event (audit_append), so
 * the chain lock is never held across a round trip; canonicalAuditContent joins them here.
 */
export interface CanonicalAuditParts {
  beforePreviousHash: string;
  beforeSequence: string;
  afterSequence: string;
}

/**
 * canonicalJson of `{action, actor_id, actor_type, details, ip, occurred_at, outcome,
 * previous_hash, request_id, sequence, target_id, target_type, user_agent}`, cut at the previous
 * hash and the sequence and written out by hand in that (sorted) order because verification
 * runs it a million times. occurred_at counts to the millisecond: capture() takes whole
 * milliseconds, so what is hashed is what is stored.
 */
export function canonicalAuditParts(content: Omit<AuditChainContent, 'sequence'>): CanonicalAuditParts {
  return {
    beforePreviousHash:
      `{"action":${JSON.stringify(content.action)}` +
      `,"actor_id":${JSON.stringify(content.actorId)}` +
      `,"actor_type":${JSON.stringify(content.actorType)}` +
      `,"details":${canonicalJson(content.details)}` +
      `,"ip":${JSON.stringify(content.ip)}` +
      `,"occurred_at":"${content.occurredAt.toISOString()}"` +
      `,"outcome":${JSON.stringify(content.outcome)}` +
      `,"previous_hash":`,
    beforeSequence: `,"request_id":${JSON.stringify(content.requestId)},"sequence":"`,
    afterSequence:
      `","target_id":${JSON.stringify(content.targetId)}` +
      `,"target_type":${JSON.stringify(content.targetType)}` +
      `,"user_agent":${JSON.stringify(content.userAgent)}}`,
  };
}

/** The canonical text of an event and the hash of the event before it: what its hash covers. */
export function canonicalAuditContent(content: AuditChainContent, previousHash: string | null): string {
  const parts = canonicalAuditParts(content);
  return (
    parts.beforePreviousHash +
    JSON.stringify(previousHash) +
    parts.beforeSequence +
    String(content.sequence) +
    parts.afterSequence
  );
}

/** SHA-256 (hex) of the canonical text: the link of this event in the chain. */
export function computeAuditHash(content: AuditChainContent, previousHash: string | null): string {
  return createHash('sha256').update(canonicalAuditContent(content, previousHash), 'utf8').digest('hex');
}
