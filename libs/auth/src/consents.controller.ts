import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { userActor } from '@portcullis/audit';
import { ApiProblemResponses } from '@portcullis/core';
import { ConsentsService } from '@portcullis/oauth';

import type { AuthContext } from './auth-context.js';
import { Auth, Authenticated } from './auth.decorators.js';
import { ConsentListResponseDto, toConsentResponse } from './dto/consent-response.dto.js';

/** The clients the caller allowed (on the consent page), and taking that back. */
@ApiTags('auth')
@Controller({ path: 'auth/me/consents', version: '1' })
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Authenticated()
  @Get()
  @ApiOperation({
    operationId: 'listMyConsents',
    summary: 'The clients you allowed, with the scopes you allowed each and when; latest first',
  })
  @ApiOkResponse({ type: ConsentListResponseDto })
  @ApiProblemResponses(401, 403)
  async list(@Auth() auth: AuthContext): Promise<ConsentListResponseDto> {
    return { items: (await this.consents.listForUser(auth.userId)).map(toConsentResponse) };
  }

  @Authenticated()
  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'revokeMyConsent',
    summary:
      'Take back your consent to a client: its grants and tokens for you end, and it must ask you again',
  })
  @ApiParam({ name: 'clientId', description: 'The client, as listed' })
  @ApiNoContentResponse()
  @ApiProblemResponses(401, 403, 404)
  revoke(@Auth() auth: AuthContext, @Param('clientId') clientId: string): Promise<void> {
    return this.consents.revokeExisting(auth.userId, clientId, userActor(auth.userId));
  }
}
