import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses, DEFAULT_PAGE_SIZE } from '@portcullis/core';
import { JobRunner, JobsService } from '@portcullis/database';

import {
  JobListResponseDto,
  JobResponseDto,
  JobRunPageDto,
  JobRunResponseDto,
  toJobResponse,
  toJobRunResponse,
} from './dto/job-response.dto.js';
import { JobRunsQueryDto } from './dto/job-runs-query.dto.js';

const JOB_NAME = { name: 'name', example: 'session-prune' };

@ApiTags('admin-jobs')
@Controller({ path: 'admin/jobs', version: '1' })
export class AdminJobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly runner: JobRunner,
  ) {}

  @Get()
  @RequireScopes('admin:system:read')
  @ApiOperation({
    operationId: 'listJobs',
    summary: 'Each job with its schedule, pause state, last and next run',
  })
  @ApiOkResponse({ type: JobListResponseDto })
  @ApiProblemResponses(401, 403)
  async list(): Promise<JobListResponseDto> {
    return { items: (await this.jobs.list()).map(toJobResponse) };
  }

  @Post(':name/run')
  @HttpCode(200)
  @RequireScopes('admin:system:write')
  @ApiOperation({ operationId: 'runJob', summary: 'Run a job now and answer its run record' })
  @ApiParam(JOB_NAME)
  @ApiOkResponse({ type: JobRunResponseDto })
  @ApiProblemResponses(401, 403, 404, 409)
  async run(@Param('name') name: string): Promise<JobRunResponseDto> {
    return toJobRunResponse(await this.runner.runNow(name));
  }

  @Post(':name/pause')
  @HttpCode(200)
  @RequireScopes('admin:system:write')
  @ApiOperation({ operationId: 'pauseJob', summary: 'Stop scheduled runs on every node' })
  @ApiParam(JOB_NAME)
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblemResponses(401, 403, 404)
  async pause(@Param('name') name: string): Promise<JobResponseDto> {
    return toJobResponse(await this.jobs.setPaused(name, true));
  }

  @Post(':name/resume')
  @HttpCode(200)
  @RequireScopes('admin:system:write')
  @ApiOperation({ operationId: 'resumeJob', summary: 'Resume scheduled runs on every node' })
  @ApiParam(JOB_NAME)
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblemResponses(401, 403, 404)
  async resume(@Param('name') name: string): Promise<JobResponseDto> {
    return toJobResponse(await this.jobs.setPaused(name, false));
  }

  @Get(':name/runs')
  @RequireScopes('admin:system:read')
  @ApiOperation({ operationId: 'listJobRuns', summary: 'Run history, newest first' })
  @ApiParam(JOB_NAME)
  @ApiOkResponse({ type: JobRunPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async runs(@Param('name') name: string, @Query() query: JobRunsQueryDto): Promise<JobRunPageDto> {
    const page = await this.jobs.runs(name, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
      cursor: query.cursor,
    });
    return { ...page, items: page.items.map(toJobRunResponse) };
  }
}
