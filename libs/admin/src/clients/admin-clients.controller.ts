import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
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

import { AdminClientsService } from './admin-clients.service.js';
import { ClientListQueryDto } from './dto/client-list-query.dto.js';
import {
  ClientPageDto,
  ClientResponseDto,
  ClientSecretResponseDto,
  CreatedClientResponseDto,
  toClientResponse,
} from './dto/client-response.dto.js';
import { CreateClientDto } from './dto/create-client.dto.js';
import { UpdateClientDto } from './dto/update-client.dto.js';

const CLIENTS_READ = 'admin:clients:read';
const CLIENTS_WRITE = 'admin:clients:write';
const CLIENT_ID = {
  name: 'clientId',
  description: 'The OAuth client_id (clients have no other id)',
  example: 'calendar-app',
};

@ApiTags('admin-clients')
@Controller({ path: 'admin/clients', version: '1' })
export class AdminClientsController {
  constructor(private readonly clients: AdminClientsService) {}

  @Get()
  @RequireScopes(CLIENTS_READ)
  @ApiOperation({ operationId: 'listClients', summary: 'Registered OAuth clients, filtered and sorted' })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: ClientListQueryDto): Promise<ClientPageDto> {
    const page = await this.clients.list(query);
    return { ...page, items: page.items.map(toClientResponse) };
  }

  @Get(':clientId')
  @RequireScopes(CLIENTS_READ)
  @ApiOperation({ operationId: 'getClient', summary: 'One client' })
  @ApiParam(CLIENT_ID)
  @ApiOkResponse({ type: ClientResponseDto })
  @ApiProblemResponses(401, 403, 404)
  async get(@Param('clientId') clientId: string): Promise<ClientResponseDto> {
    return toClientResponse(await this.clients.get(clientId));
  }

  @Post()
  @RequireScopes(CLIENTS_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'createClient',
    summary: 'Register a client',
    description: 'Answers the client secret of a confidential client once; only its digest is kept.',
  })
  @ApiCreatedResponse({ type: CreatedClientResponseDto })
  @ApiProblemResponses(400, 401, 403, 409)
  async create(@Auth() auth: ScopedCaller, @Body() body: CreateClientDto): Promise<CreatedClientResponseDto> {
    const created = await this.clients.create(auth, body);
    return { ...toClientResponse(created.client), client_secret: created.clientSecret };
  }

  @Patch(':clientId')
  @RequireScopes(CLIENTS_WRITE)
  @ApiOperation({
    operationId: 'updateClient',
    summary: 'Change the fields sent',
    description: 'Setting is_active to false revokes every grant and token of the client.',
  })
  @ApiParam(CLIENT_ID)
  @ApiOkResponse({ type: ClientResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async update(
    @Auth() auth: ScopedCaller,
    @Param('clientId') clientId: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientResponseDto> {
    return toClientResponse(await this.clients.update(auth, clientId, body));
  }

  @Delete(':clientId')
  @HttpCode(204)
  @RequireScopes(CLIENTS_WRITE)
  @ApiOperation({
    operationId: 'deleteClient',
    summary: 'Delete a client with its grants, codes, tokens and consents',
  })
  @ApiParam(CLIENT_ID)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(401, 403, 404)
  async delete(@Auth() auth: ScopedCaller, @Param('clientId') clientId: string): Promise<void> {
    await this.clients.delete(auth, clientId);
  }

  @Post(':clientId/rotate-secret')
  @HttpCode(200)
  @RequireScopes(CLIENTS_WRITE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'rotateClientSecret',
    summary: 'Replace the client secret',
    description: 'Answers the new secret once; the old one stops working at once, on every node.',
  })
  @ApiParam(CLIENT_ID)
  @ApiOkResponse({ type: ClientSecretResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  async rotateSecret(
    @Auth() auth: ScopedCaller,
    @Param('clientId') clientId: string,
  ): Promise<ClientSecretResponseDto> {
    return { client_id: clientId, client_secret: await this.clients.rotateSecret(auth, clientId) };
  }
}
