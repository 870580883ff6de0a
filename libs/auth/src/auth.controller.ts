import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditActivityPageDto, AuditActivityQueryDto, toAuditActivityPage } from '@portcullis/audit';
import { ApiProblemResponses } from '@portcullis/core';

import type { AuthContext } from './auth-context.js';
import { AllowDuringPasswordChange, Auth, Authenticated, Public, ReadsCaller } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto, LoginDto, RefreshDto, TokenResponseDto } from './dto/credentials.dto.js';
import { UpdateProfileDto } from './dto/profile.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { SessionListResponseDto, toSessionResponse } from './dto/session-response.dto.js';
import { MeResponseDto, UserResponseDto, toMeResponse, toUserResponse } from './dto/user-response.dto.js';

@ApiTags('auth')
@Controller({ path: 'auth', version: '1' })
export class AuthController {
  constructor(private readonly service: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({ operationId: 'register', summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiProblemResponses(400, 403, 409, 413, 415)
  async register(@Body() body: RegisterDto): Promise<UserResponseDto> {
    return toUserResponse(await this.service.register(body));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with a username or e-mail and a password' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblemResponses(400, 401, 429)
  login(@Body() body: LoginDto): Promise<TokenResponseDto> {
    return this.service.login(body);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ operationId: 'refresh', summary: 'Exchange a refresh token for a new token pair' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblemResponses(400, 401)
  refresh(@Body() body: RefreshDto): Promise<TokenResponseDto> {
    return this.service.refresh(body.refresh_token);
  }

  @Authenticated()
  @AllowDuringPasswordChange()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary: 'End the current session; its tokens stop working at once',
  })
  @ApiNoContentResponse()
  @ApiProblemResponses(401)
  logout(@Auth() auth: AuthContext): Promise<void> {
    return this.service.logout(auth);
  }

  @Authenticated()
  @AllowDuringPasswordChange()
  @ReadsCaller()
  @Get('me')
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user, its roles and the token scopes' })
  @ApiOkResponse({ type: MeResponseDto })
  @ApiProblemResponses(401)
  me(@Auth() auth: AuthContext): Readonly<MeResponseDto> | Promise<Readonly<MeResponseDto>> {
    // The guard read the caller with its session check (@ReadsCaller): no promise on the hot path.
    if (auth.user) return toMeResponse(auth.user, auth.scopes);
    return this.service.me(auth).then((user) => toMeResponse(user, auth.scopes));
  }

  @Authenticated()
  @Patch('me')
  @ApiOperation({ operationId: 'updateMe', summary: 'Edit the OpenID Connect profile claims' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiProblemResponses(400, 401, 403)
  async updateMe(@Auth() auth: AuthContext, @Body() body: UpdateProfileDto): Promise<UserResponseDto> {
    return toUserResponse(await this.service.updateProfile(auth, body));
  }

  @Authenticated()
  @Get('me/activity')
  @ApiOperation({
    operationId: 'listMyActivity',
    summary:
      'Your security history (sign-ins, sign-outs, password and profile changes, ended sessions), newest first',
  })
  @ApiOkResponse({ type: AuditActivityPageDto })
  @ApiProblemResponses(400, 401, 403)
  async activity(
    @Auth() auth: AuthContext,
    @Query() query: AuditActivityQueryDto,
  ): Promise<AuditActivityPageDto> {
    return toAuditActivityPage(await this.service.listActivity(auth, query), auth.userId);
  }

  @Authenticated()
  @AllowDuringPasswordChange()
  @Post('change-password')
  @HttpCode(204)
  @ApiOperation({ operationId: 'changePassword', summary: 'Change the password; ends every other session' })
  @ApiNoContentResponse()
  @ApiProblemResponses(400, 401)
  changePassword(@Auth() auth: AuthContext, @Body() body: ChangePasswordDto): Promise<void> {
    return this.service.changePassword(auth, body);
  }

  @Authenticated()
  @Get('sessions')
  @ApiOperation({ operationId: 'listMySessions', summary: 'Your live sessions; the current one is marked' })
  @ApiOkResponse({ type: SessionListResponseDto })
  @ApiProblemResponses(401, 403)
  async sessions(@Auth() auth: AuthContext): Promise<SessionListResponseDto> {
    const now = new Date();
    return {
      items: (await this.service.listSessions(auth)).map((session) =>
        toSessionResponse(session, auth.sessionId, now),
      ),
    };
  }

  @Authenticated()
  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeMySession', summary: 'End one of your sessions' })
  @ApiNoContentResponse()
  @ApiProblemResponses(400, 401, 403, 404)
  revokeSession(
    @Auth() auth: AuthContext,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
  ): Promise<void> {
    return this.service.revokeSession(auth, id);
  }
}
