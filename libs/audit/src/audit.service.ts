import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, GroupCommit, currentRequestContext } from '@portcullis/core';
import { CacheInvalidator } from '@portcullis/database';
import type { DataSource, EntityManager } from 'typeorm';

import type { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import { type ChainedAuditRow, insertChainedAuditRows } from './audit-events.insert.js';
import { AUDIT_REGION } from './audit.cache.js';
import { computeAuditHash, type AuditChainContent } from './audit-hash.js';

export interface AuditActor {
  type: AuditActorType;
  id?: string | null;
}

export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor;
  target?: { type: string; id: string };
  /** Context that helps an investigator; never a password, token or secret. */
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system' };
export const ANONYMOUS_ACTOR: AuditActor = { type: 'anonymous' };

export function userActor(userId: string): AuditActor {
  return { type: 'user', id: userId };
}

/** Key of the transaction-scoped advisory lock that lets one writer at a time extend the chain. */
export const AUDIT_CHAIN_LOCK = 0x61756474; // 'audt'

/**
 * Writes audit events, each linked to the one before it by a SHA-256 hash chain. Pass the
 * caller's EntityManager so the change and its event commit together; the request id, ip and
 * user agent come from the request context.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly invalidator: CacheInvalidator,
  ) {}

  private readonly loneEvents = new GroupCommit<StoredContentWithoutSequence>((events) =>
    this.dataSource.transaction((manager) => this.append(events, manager)),
  );

  /**
   * Appends an event. It holds the chain lock until the caller's transaction ends, so make it
   * the transaction's last write (after any row locks) to keep the lock short and deadlock-free.
   * The caller's transaction must be READ COMMITTED (the default), so the last event read after
   * the lock is the last committed one; the unique sequence refuses a fork if it is not.
   */
  async record(event: AuditRecord, manager?: EntityManager): Promise<void> {
    const captured = this.capture(event);
    if (!manager?.queryRunner?.isTransactionActive) {
      // Outside a transaction the advisory lock would be released at once: the event gets a
      // transaction of its own, shared with the other lone events waiting for the chain lock.
      await this.loneEvents.add(captured);
      return;
    }
    await this.append([captured], manager);
  }

  /** Appends captured events inside `manager`'s transaction (see record() for the lock). */
  async appendCaptured(events: CapturedAuditEvent[], manager: EntityManager): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error('appendCaptured needs a transaction: the chain lock lasts until it ends');
    if (events.length > 0) await this.append(events, manager);
  }

  /** Extends the chain by `events`, in order, under one chain lock, in one INSERT. */
  private async append(events: StoredContentWithoutSequence[], manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const [last] = (await manager.query(
      'SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1',
    )) as { sequence: string; hash: string }[];
    let previousHash = last?.hash ?? null;
    let sequence = last ? BigInt(last.sequence) : 0n;
    const rows = events.map((event): ChainedAuditRow => {
      sequence += 1n;
      const content: StoredContent = { ...event, sequence };
      const hash = computeAuditHash(content, previousHash);
      const row = { ...content, sequence: content.sequence.toString(), previousHash, hash };
      previousHash = hash;
      return row;
    });
    await insertChainedAuditRows(manager, rows);
    await this.invalidator.afterCommit(manager, AUDIT_REGION);
  }

  /**
   * The event exactly as PostgreSQL will store it, so that the hash of what is read back
   * matches: as it happened (time, request context), to be appended by record() now or by
   * appendCaptured() later, in the same transaction as the change it describes.
   */
  capture(event: AuditRecord): CapturedAuditEvent {
    const context = currentRequestContext();
    return {
      // Whole milliseconds, set here rather than by now(): a JS Date cannot carry microseconds.
      occurredAt: new Date(this.clock.now().getTime()),
      action: wellFormed(event.action),
      outcome: event.outcome,
      actorType: event.actor.type,
      actorId: storedText(event.actor.id),
      targetType: storedText(event.target?.type),
      targetId: storedText(event.target?.id),
      ip: storedText(context.ip),
      userAgent: storedText(context.userAgent),
      requestId: storedText(context.requestId),
      details: storedJson(event.details ?? {}),
    };
  }
}

type StoredContent = AuditChainContent & {
  sequence: bigint;
  outcome: AuditOutcome;
  actorType: AuditActorType;
};

/** An event as captured when it happened (its request's context, its time), before it has a place in the chain. */
type StoredContentWithoutSequence = Omit<StoredContent, 'sequence'>;

/** An event captured by AuditService.capture(), not yet in the chain. */
export type CapturedAuditEvent = Readonly<StoredContentWithoutSequence>;

/**
 * A string as PostgreSQL text keeps it: lone surrogates become U+FFFD (as the driver's UTF-8
 * encoding makes them) and NUL, which text refuses, becomes U+FFFD too.
 */
function wellFormed(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8').replaceAll('\u0000', '\uFFFD');
}

function storedText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : wellFormed(value);
}

/** Details as jsonb gives them back: plain JSON values (dates as strings), strings as storedText. */
function storedJson(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(details, (_key, value: unknown) =>
      typeof value === 'string' ? storedText(value) : value,
    ),
  ) as Record<string, unknown>;
}
