import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses } from '@portcullis/core';

import { DashboardService } from './dashboard.service.js';
import { DashboardStatsQueryDto } from './dto/dashboard-stats-query.dto.js';
import { DashboardStatsResponseDto } from './dto/dashboard-stats.dto.js';

@ApiTags('admin-dashboard')
@Controller({ path: 'admin/dashboard', version: '1' })
export class AdminDashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('stats')
  @RequireScopes('admin:system:read')
  @ApiOperation({
    operationId: 'getDashboardStats',
    summary: 'Users, sessions, sign-ins, clients and tokens at a glance',
  })
  @ApiOkResponse({ type: DashboardStatsResponseDto })
  @ApiProblemResponses(400, 401, 403)
  stats(@Query() _query: DashboardStatsQueryDto): Promise<DashboardStatsResponseDto> {
    return this.dashboard.stats();
  }
}
