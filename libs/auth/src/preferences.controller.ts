import { Body, Controller, Get, Patch, Put } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '@portcullis/core';
import { type JsonObject, UserPreferencesService } from '@portcullis/users';

import type { AuthContext } from './auth-context.js';
import { Auth, Authenticated } from './auth.decorators.js';

/** Preferences are whatever the client keeps in them: documented as a free-form object. */
const FREE_FORM_OBJECT = { type: 'object', additionalProperties: true } as const;

/**
 * The caller's own preferences. Bodies are taken as `unknown`, so the global ValidationPipe
 * (which whitelists DTO classes) passes them through untouched; UserPreferencesService checks them.
 */
@ApiTags('auth')
@Controller({ path: 'auth/me/preferences', version: '1' })
export class PreferencesController {
  constructor(private readonly preferences: UserPreferencesService) {}

  @Authenticated()
  @Get()
  @ApiOperation({ operationId: 'getMyPreferences', summary: 'Your preferences; {} until you store some' })
  @ApiOkResponse({ schema: FREE_FORM_OBJECT, description: 'The stored preferences, or {} when none are' })
  @ApiProblemResponses(401, 403)
  get(@Auth() auth: AuthContext): Promise<JsonObject> {
    return this.preferences.get(auth.userId);
  }

  @Authenticated()
  @Put()
  @ApiOperation({
    operationId: 'replaceMyPreferences',
    summary: 'Replace your preferences: a JSON object of at most 16 KiB, nested at most 8 deep',
  })
  @ApiBody({ schema: FREE_FORM_OBJECT })
  @ApiOkResponse({ schema: FREE_FORM_OBJECT, description: 'The stored preferences' })
  @ApiProblemResponses(400, 401, 403, 413, 415)
  replace(@Auth() auth: AuthContext, @Body() body: unknown): Promise<JsonObject> {
    return this.preferences.replace(auth.userId, body);
  }

  @Authenticated()
  @Patch()
  @ApiOperation({
    operationId: 'patchMyPreferences',
    summary: 'Change your preferences with an RFC 7396 JSON merge patch (null deletes a member)',
  })
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: FREE_FORM_OBJECT })
  @ApiOkResponse({ schema: FREE_FORM_OBJECT, description: 'The preferences after the merge' })
  @ApiProblemResponses(400, 401, 403, 413, 415)
  patch(@Auth() auth: AuthContext, @Body() body: unknown): Promise<JsonObject> {
    return this.preferences.patch(auth.userId, body);
  }
}
