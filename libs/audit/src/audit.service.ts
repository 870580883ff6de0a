import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, GroupCommit, currentRequestContext } from '@portcullis/core';
import { CacheInvalidator, type SqlCall } from '@portcullis/database';
import type { DataSource, EntityManager } from 'typeorm';

import type { AuditActorType, AuditOutcome } from './audit-event.entity.js';
import { auditAppendCall, type UnchainedAuditEvent } from './audit-append.js';
import { AUDIT_REGION } from './audit.cache.js';

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

/**
 * Key of the transaction-scoped advisory lock that lets one writer at a time extend the chain
 * (taken by audit_append in the database; its migration spells the same number).
 */
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

  private readonly loneEvents = new GroupCommit<CapturedAuditEvent>((events) => this.appendAlong(events));

  /**
   * Appends an event. Inside the caller's transaction it holds the chain lock until that
   * transaction ends, so make it the transaction's last write (after any row locks) to keep
   * the lock short and deadlock-free. The transaction must be READ COMMITTED (the default), so
   * that audit_append reads the last committed event; the unique sequence refuses a fork if not.
   */
  async record(event: AuditRecord, manager?: EntityManager): Promise<void> {
    const captured = this.capture(event);
    if (!manager?.queryRunner?.isTransactionActive) {
      // Lone events waiting for the chain lock share one statement (one lock, one commit).
      await this.loneEvents.add(captured);
      return;
    }
    const append = auditAppendCall([captured]);
    await manager.query(`SELECT ${append.sql}`, append.parameters);
    await this.invalidator.afterCommit(manager, AUDIT_REGION);
  }

  /**
   * Appends captured events in one statement of their own, committed at once, with `write`
   * (an INSERT or UPDATE of the caller's, placeholders from `$1`) in the same statement when
   * given: the change and the events that say it happened commit together or not at all, in
   * one round trip, and the chain lock is held only while PostgreSQL runs the statement.
   */
  async appendAlong(events: readonly CapturedAuditEvent[], write?: SqlCall): Promise<void> {
    if (events.length === 0) {
      if (write) await this.dataSource.query(write.sql, write.parameters);
      return;
    }
    const append = auditAppendCall(events, (write?.parameters.length ?? 0) + 1);
    await this.dataSource.query(
      write ? `WITH written AS (${write.sql}) SELECT ${append.sql}` : `SELECT ${append.sql}`,
      [...(write?.parameters ?? []), ...append.parameters],
    );
    await this.invalidator.afterCommit(undefined, AUDIT_REGION);
  }

  /**
   * The event exactly as PostgreSQL will store it, so that the hash of what is read back
   * matches: as it happened (time, request context), to be appended by record() now or by
   * appendAlong() later, in the same statement as the change it describes.
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

/** An event captured by AuditService.capture(), not yet in the chain. */
export type CapturedAuditEvent = Readonly<UnchainedAuditEvent>;

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
