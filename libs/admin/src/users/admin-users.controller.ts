import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, RequireScopes, type ScopedCaller } from '@portcullis/auth';
import { ApiProblemResponses, DEFAULT_PAGE_SIZE } from '@portcullis/core';

import { AdminUsersService } from './admin-users.service.js';
import {
  AdminUserCreatedDto,
  AdminUserPageDto,
  AdminUserResponseDto,
  TemporaryPasswordDto,
  toAdminUserCreated,
  toAdminUserResponse,
} from './dto/admin-user-response.dto.js';
import { UserListQueryDto } from './dto/user-list-query.dto.js';
import { defaultOrder } from './user-directory.query.js';
import { UserIdParamsDto } from './dto/user-params.dto.js';
import { CreateAdminUserDto, SetUserRolesDto, UpdateAdminUserDto } from './dto/user-write.dto.js';
import { toAccountPatch, toCreateUserInput } from './dto/user-write.mapping.js';

export const USERS_READ = 'admin:users:read';
export const USERS_WRITE = 'admin:users:write';

@ApiTags('admin-users')
@Controller({ path: 'admin/users', version: '1' })
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @RequireScopes(USERS_READ)
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'Search, filter and page through users',
    description:
      'Paged by offset, or by cursor (then total is left out). Default sort: created_at; default order: desc for ' +
      'created_at and last_login_at, asc for names. Nulls sort last either way.',
  })
  @ApiOkResponse({ type: AdminUserPageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: UserListQueryDto): Promise<AdminUserPageDto> {
    return this.users.listPage({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
      cursor: query.cursor,
      sort: query.sort ?? 'created_at',
      order: query.order ?? defaultOrder(query.sort ?? 'created_at'),
      search: query.search,
      isActive: query.is_active,
      emailVerified: query.email_verified,
      isLocked: query.is_locked,
      requiresPasswordChange: query.requires_password_change,
      role: query.role,
      createdAfter: query.created_after,
      createdBefore: query.created_before,
      lastLoginAfter: query.last_login_after,
      lastLoginBefore: query.last_login_before,
      locale: query.locale,
      zoneinfo: query.zoneinfo,
    });
  }

  @Get(':id')
  @RequireScopes(USERS_READ)
  @ApiOperation({ operationId: 'getUser', summary: 'A user with its roles, lock state and live sessions' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async get(@Param() params: UserIdParamsDto): Promise<AdminUserResponseDto> {
    return this.users.detail(params.id);
  }

  @Post()
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Create a user with a password, or with a generated one-time password',
  })
  @ApiCreatedResponse({ type: AdminUserCreatedDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async create(@Auth() auth: ScopedCaller, @Body() body: CreateAdminUserDto): Promise<AdminUserCreatedDto> {
    return toAdminUserCreated(await this.users.create(auth, toCreateUserInput(body)));
  }

  @Patch(':id')
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Change a user (only the fields sent); deactivating ends its sessions',
  })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async update(
    @Auth() auth: ScopedCaller,
    @Param() params: UserIdParamsDto,
    @Body() body: UpdateAdminUserDto,
  ): Promise<AdminUserResponseDto> {
    return toAdminUserResponse(await this.users.update(auth, params.id, toAccountPatch(body)));
  }

  @Put(':id/roles')
  @RequireScopes(USERS_WRITE)
  @ApiOperation({ operationId: 'setUserRoles', summary: "Replace a user's roles" })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async setRoles(
    @Auth() auth: ScopedCaller,
    @Param() params: UserIdParamsDto,
    @Body() body: SetUserRolesDto,
  ): Promise<AdminUserResponseDto> {
    return toAdminUserResponse(await this.users.setRoles(auth, params.id, body.roles));
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'resetUserPassword',
    summary: 'Set a one-time password the user must change; ends its sessions',
  })
  @ApiOkResponse({ type: TemporaryPasswordDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async resetPassword(
    @Auth() auth: ScopedCaller,
    @Param() params: UserIdParamsDto,
  ): Promise<TemporaryPasswordDto> {
    return { temporary_password: await this.users.resetPassword(auth, params.id) };
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @RequireScopes(USERS_WRITE)
  @ApiOperation({ operationId: 'unlockUser', summary: 'Lift the sign-in lockout and forget failed attempts' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async unlock(@Auth() auth: ScopedCaller, @Param() params: UserIdParamsDto): Promise<AdminUserResponseDto> {
    return toAdminUserResponse(await this.users.unlock(auth, params.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'deleteUser',
    summary: 'Delete a user with its sessions, tokens, consents and preferences; its audit events stay',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async delete(@Auth() auth: ScopedCaller, @Param() params: UserIdParamsDto): Promise<void> {
    await this.users.delete(auth, params.id);
  }
}
