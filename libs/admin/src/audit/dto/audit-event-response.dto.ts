import { ApiProperty } from '@nestjs/swagger';
import {
  toAuditEventRecord,
  type AuditActorType,
  type AuditEventEntity,
  type AuditOutcome,
} from '@portcullis/audit';
import { PageOf, type Page } from '@portcullis/core';

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'client', 'system', 'anonymous'] }) type: AuditActorType;
  @ApiProperty({ nullable: true, type: String, description: 'A user id or a client id' }) id: string | null;
}

export class AuditTargetDto {
  @ApiProperty({ example: 'session' }) type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

/** One audit event, as the list shows it and the NDJSON export writes it. */
export class AuditEventResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Position in the hash chain', example: 42 }) sequence: number;
  @ApiProperty({ format: 'date-time' }) occurred_at: string;
  @ApiProperty({ example: 'user.login.succeeded' }) action: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: AuditOutcome;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ type: AuditTargetDto, nullable: true }) target: AuditTargetDto | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 (hex) of the event before' })
  previous_hash: string | null;
  @ApiProperty({ description: "SHA-256 (hex) of this event's content and previous_hash" }) hash: string;
}

export class AuditEventPageDto extends PageOf(AuditEventResponseDto) {}

export function toAuditEventResponse(event: AuditEventEntity): AuditEventResponseDto {
  return toAuditEventRecord(event);
}

export function toAuditEventPage(page: Page<AuditEventEntity>): AuditEventPageDto {
  return { ...page, items: page.items.map(toAuditEventResponse) };
}
