import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type ScopedCaller, RequireScopes } from '@portcullis/auth';
import { ApiProblemResponses } from '@portcullis/core';

import { AdminKeysService } from './admin-keys.service.js';
import {
  SigningKeyListQueryDto,
  SigningKeyPageDto,
  SigningKeyResponseDto,
  toSigningKeyResponse,
} from './dto/signing-key.dto.js';

@ApiTags('admin-keys')
@Controller({ path: 'admin/keys', version: '1' })
export class AdminKeysController {
  constructor(private readonly keys: AdminKeysService) {}

  @Get()
  @RequireScopes('admin:system:read')
  @ApiOperation({
    operationId: 'listSigningKeys',
    summary: 'Token signing keys, newest first: state, dates, whether still published',
  })
  @ApiOkResponse({ type: SigningKeyPageDto })
  @ApiProblemResponses(400, 401, 403)
  async list(@Query() query: SigningKeyListQueryDto): Promise<SigningKeyPageDto> {
    const page = await this.keys.list(query);
    return { ...page, items: page.items.map(toSigningKeyResponse) };
  }

  @Post('rotate')
  @RequireScopes('admin:system:write')
  @ApiOperation({
    operationId: 'rotateSigningKey',
    summary: 'Make a new signing key and retire the current one',
    description:
      'This node signs with the new key at once, other nodes within 30 seconds; the retired key stays in the ' +
      'JWKS until every token it signed has expired.',
  })
  @ApiCreatedResponse({ type: SigningKeyResponseDto })
  @ApiProblemResponses(401, 403)
  async rotate(@Auth() auth: ScopedCaller): Promise<SigningKeyResponseDto> {
    return toSigningKeyResponse(await this.keys.rotate(auth));
  }
}
