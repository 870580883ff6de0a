import { ApiProperty, PickType } from '@nestjs/swagger';
import { PageOf, PageQueryDto, type Page } from '@portcullis/core';

import type { AuditEventEntity, AuditActorType, AuditOutcome } from '../audit-event.entity.js';

/** `limit` and `cursor`: the history is walked newest first by cursor only. */
export class AuditActivityQueryDto extends PickType(PageQueryDto, ['limit', 'cursor'] as const) {}

export class AuditActivityActorDto {
  @ApiProperty({ enum: ['user', 'client', 'system', 'anonymous'] }) type: AuditActorType;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Your id when you acted; null when someone else did',
  })
  id: string | null;
}

export class AuditActivityTargetDto {
  @ApiProperty({ example: 'session' }) type: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null when it is another user' }) id:
    string | null;
}

/** One event of your security history, without anything about other users. */
export class AuditActivityItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
  @ApiProperty({ example: 'user.login.succeeded' }) action: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: AuditOutcome;
  @ApiProperty({ type: AuditActivityActorDto }) actor: AuditActivityActorDto;
  @ApiProperty({ type: AuditActivityTargetDto, nullable: true }) target: AuditActivityTargetDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'Only for what you did yourself' }) ip:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Only for what you did yourself' })
  user_agent: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Only for what you did yourself' })
  request_id: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Only for what you did yourself; empty otherwise',
  })
  details: Record<string, unknown>;
}

export class AuditActivityPageDto extends PageOf(AuditActivityItemDto) {}

/**
 * Shows the user what it did in full; of what someone else did to it (an admin, say), only
 * what happened and when: not who, from where, or the details.
 */
export function toAuditActivityItem(event: AuditEventEntity, userId: string): AuditActivityItemDto {
  const ownAct = event.actorType === 'user' && event.actorId === userId;
  const aimedAtOtherUser = event.targetType === 'user' && event.targetId !== userId;
  const shown = ownAct && !aimedAtOtherUser;
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    action: event.action,
    outcome: event.outcome,
    actor: { type: event.actorType, id: ownAct ? userId : null },
    target:
      event.targetType === null
        ? null
        : { type: event.targetType, id: aimedAtOtherUser ? null : event.targetId },
    ip: shown ? event.ip : null,
    user_agent: shown ? event.userAgent : null,
    request_id: shown ? event.requestId : null,
    details: shown ? event.details : {},
  };
}

export function toAuditActivityPage(page: Page<AuditEventEntity>, userId: string): AuditActivityPageDto {
  return { ...page, items: page.items.map((event) => toAuditActivityItem(event, userId)) };
}
