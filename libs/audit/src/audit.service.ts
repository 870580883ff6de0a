import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { currentRequestContext } from '@portcullis/core';
import type { DataSource, EntityManager } from 'typeorm';

import { AuditEventEntity, type AuditActorType, type AuditOutcome } from './audit-event.entity.js';

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
 * Writes audit events. Pass the caller's EntityManager so the change and its event commit
 * together; the request id, ip and user agent come from the request context.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const context = currentRequestContext();
    await manager.insert(AuditEventEntity, {
      action: event.action,
      outcome: event.outcome,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      ip: context.ip ?? null,
      userAgent: context.userAgent ?? null,
      requestId: context.requestId ?? null,
      details: (event.details ?? {}) as never,
    });
  }
}
