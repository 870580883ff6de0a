import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, RequireScopes, type ScopedCaller } from '@portcullis/auth';
import { ApiProblemResponses, Clock, DEFAULT_PAGE_SIZE } from '@portcullis/core';

import { USERS_READ, USERS_WRITE } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { RevokedCountDto } from './dto/admin-user-response.dto.js';
import { UserIdParamsDto, UserSessionParamsDto } from './dto/user-params.dto.js';
import { toUserSessionPage, UserSessionPageDto } from './dto/user-session-response.dto.js';
import { UserSessionsQueryDto } from './dto/user-sessions-query.dto.js';

@ApiTags('admin-users')
@Controller({ path: 'admin/users/:id/sessions', version: '1' })
export class AdminUserSessionsController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequireScopes(USERS_READ)
  @ApiOperation({
    operationId: 'listUserSessions',
    summary: "A user's sessions by when they started, newest first unless order=asc",
  })
  @ApiOkResponse({ type: UserSessionPageDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async list(
    @Param() params: UserIdParamsDto,
    @Query() query: UserSessionsQueryDto,
  ): Promise<UserSessionPageDto> {
    const page = await this.users.listSessions(params.id, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
      cursor: query.cursor,
      order: query.order,
      includeInactive: query.include_inactive ?? false,
    });
    return toUserSessionPage(page, this.clock.now());
  }

  @Delete()
  @RequireScopes(USERS_WRITE)
  @ApiOperation({ operationId: 'revokeUserSessions', summary: 'End every live session of a user' })
  @ApiOkResponse({ type: RevokedCountDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async revokeAll(@Auth() auth: ScopedCaller, @Param() params: UserIdParamsDto): Promise<RevokedCountDto> {
    return { revoked_count: await this.users.revokeSessions(auth, params.id) };
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @RequireScopes(USERS_WRITE)
  @ApiOperation({ operationId: 'revokeUserSession', summary: 'End one session of a user' })
  @ApiNoContentResponse({ description: 'Ended (or already ended)' })
  @ApiProblemResponses(400, 401, 403, 404)
  async revoke(@Auth() auth: ScopedCaller, @Param() params: UserSessionParamsDto): Promise<void> {
    await this.users.revokeSession(auth, params.id, params.sessionId);
  }
}
