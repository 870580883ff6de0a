import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { JobRunResponseDto } from '../../jobs/dto/job-response.dto.js';

export class ClientSessionCountDto {
  @ApiProperty() client_id: string;
  @ApiProperty() active: number;
}

export class DailySessionCountDto {
  @ApiProperty({ format: 'date', example: '2026-11-22' }) day: string;
  @ApiProperty() created: number;
}

export class SessionStatsResponseDto {
  @ApiProperty({ description: 'Live: not revoked, not expired, not idle' }) active: number;
  @ApiProperty({
    description: 'Not revoked and within the absolute lifetime, but unused past the idle limit',
  })
  idle_expired: number;
  @ApiProperty({ description: 'Past the absolute lifetime, not revoked' }) expired: number;
  @ApiProperty() revoked: number;
  @ApiProperty({ type: [ClientSessionCountDto] }) active_by_client: ClientSessionCountDto[];
  @ApiProperty({ type: [DailySessionCountDto], description: 'The last 30 UTC days, oldest first' })
  created_per_day: DailySessionCountDto[];
  @ApiPropertyOptional({
    nullable: true,
    type: JobRunResponseDto,
    description: 'The last completed session-prune run',
  })
  last_prune: JobRunResponseDto | null;
}
