import { Body, Controller, Headers, HttpCode, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@portcullis/core';

import { UserinfoUpdateService } from './userinfo-update.service.js';

/**
 * PUT /api/v1/oidc/userinfo, beside the provider's GET and POST. Public to the AuthGuard: it
 * authenticates the provider's userinfo access tokens itself.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'oidc/userinfo', version: '1' })
export class UserinfoUpdateController {
  constructor(private readonly userinfo: UserinfoUpdateService) {}

  @Put()
  @HttpCode(200)
  update(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<Record<string, unknown>> {
    return this.userinfo.update(authorization, body);
  }
}
