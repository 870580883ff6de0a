import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, RequireScopes, type ScopedCaller } from '@portcullis/auth';
import { ApiProblemResponses, DEFAULT_PAGE_SIZE } from '@portcullis/core';

import { USERS_READ, USERS_WRITE } from '../users/admin-users.controller.js';
import { AdminRolesService } from './admin-roles.service.js';
import {
  CreateRoleDto,
  DeleteRoleQueryDto,
  RoleIdParamsDto,
  RoleListQueryDto,
  RolePageDto,
  RoleResponseDto,
  toRolePage,
  toRoleResponse,
  UpdateRoleDto,
} from './dto/role.dto.js';

@ApiTags('admin-roles')
@Controller({ path: 'admin/roles', version: '1' })
export class AdminRolesController {
  constructor(private readonly roles: AdminRolesService) {}

  @Get()
  @RequireScopes(USERS_READ)
  @ApiOperation({ operationId: 'listRoles', summary: 'Roles by name, each with how many users hold it' })
  @ApiOkResponse({ type: RolePageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: RoleListQueryDto): Promise<RolePageDto> {
    return toRolePage(
      await this.roles.list({
        limit: query.limit ?? DEFAULT_PAGE_SIZE,
        offset: query.offset ?? 0,
        cursor: query.cursor,
        order: query.order,
      }),
    );
  }

  @Get(':id')
  @RequireScopes(USERS_READ)
  @ApiOperation({ operationId: 'getRole', summary: 'A role with its scopes and user count' })
  @ApiOkResponse({ type: RoleResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async get(@Param() params: RoleIdParamsDto): Promise<RoleResponseDto> {
    return toRoleResponse(await this.roles.get(params.id));
  }

  @Post()
  @RequireScopes(USERS_WRITE)
  @ApiOperation({ operationId: 'createRole', summary: 'Create a role from existing scopes' })
  @ApiCreatedResponse({ type: RoleResponseDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async create(@Auth() auth: ScopedCaller, @Body() body: CreateRoleDto): Promise<RoleResponseDto> {
    return toRoleResponse(await this.roles.create(auth, body));
  }

  @Patch(':id')
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'updateRole',
    summary: "Change a role's description or scopes; new sign-ins get the new scopes",
  })
  @ApiOkResponse({ type: RoleResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async update(
    @Auth() auth: ScopedCaller,
    @Param() params: RoleIdParamsDto,
    @Body() body: UpdateRoleDto,
  ): Promise<RoleResponseDto> {
    return toRoleResponse(await this.roles.update(auth, params.id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(USERS_WRITE)
  @ApiOperation({
    operationId: 'deleteRole',
    summary: 'Delete a role; built-in roles cannot go, one in use only with force=true',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async delete(
    @Auth() auth: ScopedCaller,
    @Param() params: RoleIdParamsDto,
    @Query() query: DeleteRoleQueryDto,
  ): Promise<void> {
    await this.roles.delete(auth, params.id, query.force ?? false);
  }
}
