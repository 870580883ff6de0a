import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, type ScopedCaller, RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses } from '@portcullis/core';

import { AdminScopesService } from './admin-scopes.service.js';
import {
  CreateScopeDto,
  ScopeListQueryDto,
  ScopePageDto,
  ScopeResponseDto,
  toScopeResponse,
  UpdateScopeDto,
} from './dto/scope.dto.js';

const SCOPES_READ = 'admin:scopes:read';
const SCOPES_WRITE = 'admin:scopes:write';
const SCOPE_NAME = { name: 'name', description: 'The scope name (URL-encoded)', example: 'calendar:read' };

@ApiTags('admin-scopes')
@Controller({ path: 'admin/scopes', version: '1' })
export class AdminScopesController {
  constructor(private readonly scopes: AdminScopesService) {}

  @Get()
  @RequireScopes(SCOPES_READ)
  @ApiOperation({ operationId: 'listScopes', summary: 'The scopes clients may ask for' })
  @ApiOkResponse({ type: ScopePageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: ScopeListQueryDto): Promise<ScopePageDto> {
    const page = await this.scopes.list(query);
    return { ...page, items: page.items.map(toScopeResponse) };
  }

  @Get(':name')
  @RequireScopes(SCOPES_READ)
  @ApiOperation({ operationId: 'getScope', summary: 'One scope' })
  @ApiParam(SCOPE_NAME)
  @ApiOkResponse({ type: ScopeResponseDto })
  @ApiProblemResponses(401, 403, 404)
  async get(@Param('name') name: string): Promise<ScopeResponseDto> {
    return toScopeResponse(await this.scopes.get(name));
  }

  @Post()
  @RequireScopes(SCOPES_WRITE)
  @ApiOperation({ operationId: 'createScope', summary: 'Define a custom scope' })
  @ApiCreatedResponse({ type: ScopeResponseDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async create(@Auth() auth: ScopedCaller, @Body() body: CreateScopeDto): Promise<ScopeResponseDto> {
    return toScopeResponse(await this.scopes.create(auth, body));
  }

  @Patch(':name')
  @RequireScopes(SCOPES_WRITE)
  @ApiOperation({
    operationId: 'updateScope',
    summary: "Change a custom scope's description",
    description: 'Built-in scopes cannot be changed (409 SCOPE_BUILTIN).',
  })
  @ApiParam(SCOPE_NAME)
  @ApiOkResponse({ type: ScopeResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async update(
    @Auth() auth: ScopedCaller,
    @Param('name') name: string,
    @Body() body: UpdateScopeDto,
  ): Promise<ScopeResponseDto> {
    return toScopeResponse(await this.scopes.update(auth, name, body));
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScopes(SCOPES_WRITE)
  @ApiOperation({
    operationId: 'deleteScope',
    summary: 'Delete a custom scope',
    description:
      'Also removes it, in the same transaction, from every client allowed it and every remembered consent. ' +
      'Built-in scopes (OIDC, offline_access, admin:*) cannot be deleted (409 SCOPE_BUILTIN).',
  })
  @ApiParam(SCOPE_NAME)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(401, 403, 404, 409)
  async delete(@Auth() auth: ScopedCaller, @Param('name') name: string): Promise<void> {
    await this.scopes.delete(auth, name);
  }
}
