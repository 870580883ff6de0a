import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses } from '@portcullis/core';
import { JobsService } from '@portcullis/database';
import { SESSION_PRUNE_JOB, SessionsService } from '@portcullis/sessions';

import { toJobRunResponse } from '../jobs/dto/job-response.dto.js';
import { SessionStatsResponseDto } from './dto/session-stats-response.dto.js';

@ApiTags('admin-sessions')
@Controller({ path: 'admin/sessions', version: '1' })
export class AdminSessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly jobs: JobsService,
  ) {}

  @Get('stats')
  @RequireScopes('admin:sessions:read')
  @ApiOperation({
    operationId: 'getSessionStats',
    summary: 'Session counts by state and client, daily starts, the last prune',
  })
  @ApiOkResponse({ type: SessionStatsResponseDto })
  @ApiProblemResponses(401, 403)
  async stats(): Promise<SessionStatsResponseDto> {
    const [stats, lastPrune] = await Promise.all([
      this.sessions.stats(),
      this.jobs.lastCompletedRun(SESSION_PRUNE_JOB),
    ]);
    return {
      active: stats.active,
      idle_expired: stats.idleExpired,
      expired: stats.expired,
      revoked: stats.revoked,
      active_by_client: stats.activeByClient.map((row) => ({ client_id: row.clientId, active: row.active })),
      created_per_day: stats.createdPerDay,
      last_prune: lastPrune ? toJobRunResponse(lastPrune) : null,
    };
  }
}
