import { ApiProperty } from '@nestjs/swagger';
import { PageOf, type Page } from '@portcullis/core';
import { type SessionEntity, sessionStatus } from '@portcullis/sessions';

const NULLABLE_STRING = { nullable: true, type: String } as const;

/** One of a user's sessions as an admin sees it. */
export class UserSessionResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The client the session signed in to' }) client_id: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired', 'idle_expired'] }) status: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_seen_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time' }) idle_expires_at: string;
  @ApiProperty(NULLABLE_STRING) ip: string | null;
  @ApiProperty(NULLABLE_STRING) user_agent: string | null;
  @ApiProperty({ ...NULLABLE_STRING, format: 'date-time' }) revoked_at: string | null;
  @ApiProperty(NULLABLE_STRING) revoke_reason: string | null;
}

export class UserSessionPageDto extends PageOf(UserSessionResponseDto) {}

export function toUserSessionPage(page: Page<SessionEntity>, now: Date): UserSessionPageDto {
  return {
    ...page,
    items: page.items.map((session) => ({
      id: session.id,
      client_id: session.clientId,
      status: sessionStatus(session, now),
      created_at: session.createdAt.toISOString(),
      last_seen_at: session.lastSeenAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      idle_expires_at: session.idleExpiresAt.toISOString(),
      ip: session.ip,
      user_agent: session.userAgent,
      revoked_at: session.revokedAt?.toISOString() ?? null,
      revoke_reason: session.revokeReason,
    })),
  };
}
