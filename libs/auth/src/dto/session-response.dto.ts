import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type SessionEntity, sessionStatus } from '@portcullis/sessions';

export class SessionResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The client the session signed in to' }) client_id: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired', 'idle_expired'] }) status: string;
  @ApiProperty({ description: 'True for the session of the token making this request' }) current: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_seen_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time', description: 'Ends earlier than expires_at if unused until then' })
  idle_expires_at: string;
  @ApiPropertyOptional({ nullable: true, type: String }) ip: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) user_agent: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) revoked_at: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) revoke_reason: string | null;
}

export class SessionListResponseDto {
  @ApiProperty({ type: [SessionResponseDto] }) items: SessionResponseDto[];
}

export function toSessionResponse(
  session: SessionEntity,
  currentSessionId: string,
  now: Date,
): SessionResponseDto {
  return {
    id: session.id,
    client_id: session.clientId,
    status: sessionStatus(session, now),
    current: session.id === currentSessionId,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    idle_expires_at: session.idleExpiresAt.toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
    revoked_at: session.revokedAt?.toISOString() ?? null,
    revoke_reason: session.revokeReason,
  };
}
