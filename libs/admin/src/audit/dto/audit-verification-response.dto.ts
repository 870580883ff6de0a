import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditChainBreakReason, AuditChainVerification } from '@portcullis/audit';

export class AuditChainBreakDto {
  @ApiProperty({ example: 42 }) sequence: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['hash_mismatch', 'previous_hash_mismatch'],
    description:
      'hash_mismatch: the event is not what was written; previous_hash_mismatch: the event before it was removed or rewritten',
  })
  reason: AuditChainBreakReason;
}

export class AuditChainVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Events examined (when broken, up to and including the first broken one)' })
  checked: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'When ok: the last event verified' })
  last_sequence?: number | null;
  @ApiPropertyOptional({ type: AuditChainBreakDto, description: 'When not ok' })
  first_broken?: AuditChainBreakDto;
}

export function toAuditChainVerificationResponse(result: AuditChainVerification): AuditChainVerificationDto {
  return result.ok
    ? { ok: true, checked: result.checked, last_sequence: result.lastSequence }
    : { ok: false, checked: result.checked, first_broken: result.firstBroken };
}
