import { ApiProperty } from '@nestjs/swagger';

export class DashboardUserStatsDto {
  @ApiProperty() total: number;
  @ApiProperty() active: number;
  @ApiProperty({ description: 'Whose username or e-mail is locked out now after failed sign-ins' })
  locked: number;
  @ApiProperty({ description: 'E-mail not verified' }) unverified: number;
  @ApiProperty({ description: 'Holders of the admin role' }) admins: number;
  @ApiProperty({ description: 'Created in the last 24 hours' }) new_24h: number;
  @ApiProperty() new_7d: number;
  @ApiProperty() new_30d: number;
}

export class DashboardSessionStatsDto {
  @ApiProperty({ description: 'Live: not revoked, not expired, not idle' }) active: number;
  @ApiProperty({ description: 'Started in the last 24 hours' }) created_24h: number;
}

export class DashboardLoginStatsDto {
  @ApiProperty({ description: 'Successful sign-ins (API and login page)' }) succeeded: number;
  @ApiProperty({ description: 'Failed sign-ins, including those that caused a lockout' }) failed: number;
  @ApiProperty({ description: 'Sign-in failures that locked an identifier' }) lockouts: number;
}

export class DashboardClientStatsDto {
  @ApiProperty() total: number;
  @ApiProperty() active: number;
}

export class DashboardTokenStatsDto {
  @ApiProperty({
    description:
      'Tokens issued at the token endpoint to OAuth clients (code, client credentials, device) — from the ' +
      'oauth.token.issued audit events; first-party sign-ins are counted under logins',
  })
  issued: number;
  @ApiProperty({ description: 'Refresh-token exchanges at the token endpoint (oauth.token.refreshed)' })
  refreshed: number;
}

/** The admin dashboard's numbers; windows are the 24 hours before `generated_at`. */
export class DashboardStatsResponseDto {
  @ApiProperty({ format: 'date-time' }) generated_at: string;
  @ApiProperty({ type: DashboardUserStatsDto }) users: DashboardUserStatsDto;
  @ApiProperty({ type: DashboardSessionStatsDto }) sessions: DashboardSessionStatsDto;
  @ApiProperty({ type: DashboardLoginStatsDto, description: 'The last 24 hours' })
  logins_24h: DashboardLoginStatsDto;
  @ApiProperty({ type: DashboardClientStatsDto }) clients: DashboardClientStatsDto;
  @ApiProperty({ type: DashboardTokenStatsDto, description: 'The last 24 hours' })
  tokens_24h: DashboardTokenStatsDto;
}
