import { randomUUID } from 'node:crypto';

import { AUDIT_CHAIN_LOCK, AuditAction, computeAuditHash, type AuditChainContent } from '@portcullis/audit';
import pg from 'pg';

export interface SeedAuditEventsOptions {
  /** Rows per INSERT (and per transaction). */
  batchSize?: number;
  /** Distinct user ids the events are spread over. */
  users?: number;
  /** occurred_at of the first seeded event; each next one is `stepMs` later. */
  startAt?: Date;
  stepMs?: number;
  onProgress?: (seeded: number) => void;
}

const ACTIONS = [
  AuditAction.LOGIN_SUCCEEDED,
  AuditAction.LOGIN_SUCCEEDED,
  AuditAction.LOGIN_FAILED,
  AuditAction.LOGOUT,
  AuditAction.PROFILE_UPDATED,
  AuditAction.PASSWORD_CHANGED,
  AuditAction.SESSION_REVOKED,
  AuditAction.USER_REGISTERED,
] as const;

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'portcullis-sdk/1.0 (node 20)',
];

type SeedRow = AuditChainContent & { id: string; previousHash: string | null; hash: string };

/** A plausible event: who did what to which target, with the details the API would record. */
function plausibleEvent(
  index: number,
  userIds: string[],
  occurredAt: Date,
): Omit<AuditChainContent, 'sequence'> {
  const action = ACTIONS[index % ACTIONS.length];
  const userId = userIds[index % userIds.length];
  const failed = action === AuditAction.LOGIN_FAILED;
  const onUser =
    action === AuditAction.PROFILE_UPDATED ||
    action === AuditAction.PASSWORD_CHANGED ||
    action === AuditAction.USER_REGISTERED;
  return {
    occurredAt,
    action,
    outcome: failed ? 'failure' : 'success',
    actorType: failed ? 'anonymous' : 'user',
    actorId: failed ? null : userId,
    targetType: failed ? null : onUser ? 'user' : 'session',
    targetId: failed ? null : onUser ? userId : randomUUID(),
    ip: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
    userAgent: USER_AGENTS[index % USER_AGENTS.length],
    requestId: randomUUID(),
    details: failed
      ? { reason: 'invalid_credentials' }
      : action === AuditAction.LOGIN_SUCCEEDED
        ? { client_id: 'portcullis', scope: 'openid profile email' }
        : {},
  };
}

/**
 * Appends `count` events with a correct hash chain straight into audit_events, after whatever
 * is there, in multi-row INSERTs. Each batch holds the chain lock like AuditService.record(),
 * so a running API may keep writing meanwhile. Hashes come from @portcullis/audit itself.
 */
export async function seedAuditEvents(
  databaseUrl: string,
  count: number,
  options: SeedAuditEventsOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 5_000;
  const userIds = Array.from({ length: options.users ?? 1_000 }, () => randomUUID());
  const startMs = (options.startAt ?? new Date(Date.now() - count * (options.stepMs ?? 10))).getTime();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let seeded = 0; seeded < count;) {
      const size = Math.min(batchSize, count - seeded);
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const { rows } = await client.query<{ sequence: string; hash: string }>(
        'SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1',
      );
      let sequence = rows[0] ? BigInt(rows[0].sequence) : 0n;
      let previousHash = rows[0]?.hash ?? null;
      const batch: SeedRow[] = [];
      for (let i = 0; i < size; i++) {
        const index = seeded + i;
        sequence += 1n;
        const content = {
          sequence,
          ...plausibleEvent(index, userIds, new Date(startMs + index * (options.stepMs ?? 10))),
        };
        const hash = computeAuditHash(content, previousHash);
        batch.push({ ...content, id: randomUUID(), previousHash, hash });
        previousHash = hash;
      }
      await insertBatch(client, batch);
      await client.query('COMMIT');
      seeded += size;
      options.onProgress?.(seeded);
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function insertBatch(client: pg.Client, batch: SeedRow[]): Promise<void> {
  await client.query(
    `INSERT INTO audit_events (id, sequence, occurred_at, action, outcome, actor_type, actor_id, target_type,
                               target_id, ip, user_agent, request_id, details, previous_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                          $13::jsonb[], $14::text[], $15::text[])`,
    [
      batch.map((row) => row.id),
      batch.map((row) => row.sequence.toString()),
      batch.map((row) => row.occurredAt.toISOString()),
      batch.map((row) => row.action),
      batch.map((row) => row.outcome),
      batch.map((row) => row.actorType),
      batch.map((row) => row.actorId),
      batch.map((row) => row.targetType),
      batch.map((row) => row.targetId),
      batch.map((row) => row.ip),
      batch.map((row) => row.userAgent),
      batch.map((row) => row.requestId),
      batch.map((row) => JSON.stringify(row.details)),
      batch.map((row) => row.previousHash),
      batch.map((row) => row.hash),
    ],
  );
}
