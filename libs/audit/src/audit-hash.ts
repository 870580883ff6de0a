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
 * The canonical text of an event and the hash of the event before it: canonicalJson of
 * `{action, actor_id, actor_type, details, ip, occurred_at, outcome, previous_hash, request_id,
 * sequence, target_id, target_type, user_agent}`, written out by hand in that (sorted) order
 * because verification runs it a million times. occurred_at counts to the millisecond:
 * record() writes whole milliseconds, so what is hashed is what is stored.
 */
export function canonicalAuditContent(content: AuditChainContent, previousHash: string | null): string {
  return (
    `{"action":${JSON.stringify(content.action)}` +
    `,"actor_id":${JSON.stringify(content.actorId)}` +
    `,"actor_type":${JSON.stringify(content.actorType)}` +
    `,"details":${canonicalJson(content.details)}` +
    `,"ip":${JSON.stringify(content.ip)}` +
    `,"occurred_at":"${content.occurredAt.toISOString()}"` +
    `,"outcome":${JSON.stringify(content.outcome)}` +
    `,"previous_hash":${JSON.stringify(previousHash)}` +
    `,"request_id":${JSON.stringify(content.requestId)}` +
    `,"sequence":"${String(content.sequence)}"` +
    `,"target_id":${JSON.stringify(content.targetId)}` +
    `,"target_type":${JSON.stringify(content.targetType)}` +
    `,"user_agent":${JSON.stringify(content.userAgent)}}`
  );
}

/** SHA-256 (hex) of the canonical text: the link of this event in the chain. */
export function computeAuditHash(content: AuditChainContent, previousHash: string | null): string {
  return createHash('sha256').update(canonicalAuditContent(content, previousHash), 'utf8').digest('hex');
}
