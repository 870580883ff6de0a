import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, Clock, DomainError, currentRequestContext, type Page } from '@portcullis/core';
import {
  AuditAction,
  AuditActivityService,
  AuditService,
  ANONYMOUS_ACTOR,
  userActor,
  type AuditActivityQueryDto,
  type AuditEventEntity,
} from '@portcullis/audit';
import {
  FIRST_PARTY_CLIENT_ID,
  FirstPartyTokensService,
  OAuthErrorCode,
  OAuthErrors,
  OIDC_SCOPES,
  type TokenSubject,
} from '@portcullis/oauth';
import { type SessionEntity, SessionsService } from '@portcullis/sessions';
import {
  AccountLockedError,
  CredentialsService,
  UsersErrorCode,
  UsersService,
  type UserEntity,
  type UserWithRoleNames,
} from '@portcullis/users';
import type { DataSource } from 'typeorm';

import type { AuthContext } from './auth-context.js';
import { AuthErrorCode, AuthErrors } from './auth.errors.js';
import type { ChangePasswordDto, LoginDto, TokenResponseDto } from './dto/credentials.dto.js';
import type { UpdateProfileDto } from './dto/profile.dto.js';
import type { RegisterDto } from './dto/register.dto.js';

/** Scopes any signed-in user may hold; the user's roles add theirs (admin:*). */
const BASE_SCOPES = OIDC_SCOPES.filter((scope) => scope !== 'offline_access');

/**
 * The first-party auth API's rules: every state change and its audit event commit in one
 * transaction; tokens come from the OAuth provider's models (FirstPartyTokensService).
 */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly sessions: SessionsService,
    private readonly tokens: FirstPartyTokensService,
    private readonly audit: AuditService,
    private readonly accountActivity: AuditActivityService,
  ) {}

  async register(input: RegisterDto): Promise<UserEntity> {
    if (!this.config.get('ALLOW_REGISTRATION')) throw AuthErrors.create(AuthErrorCode.REGISTRATION_DISABLED);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create(
        {
          username: input.username,
          email: input.email,
          password: input.password,
          profile: { name: input.name, givenName: input.given_name, familyName: input.family_name },
        },
        manager,
      );
      await this.audit.record(
        {
          action: AuditAction.USER_REGISTERED,
          outcome: 'success',
          actor: userActor(user.id),
          target: { type: 'user', id: user.id },
        },
        manager,
      );
      return user;
    });
  }

  async login(input: LoginDto): Promise<TokenResponseDto> {
    const user = await this.verifyCredentials(input.username, input.password);
    const scope = this.grantedScope(user, input.scope);
    const grantId = await this.tokens.createGrant(user.id, scope);
    const context = currentRequestContext();
    const session = await this.dataSource.transaction(async (manager) => {
      const started = await this.sessions.start(
        {
          userId: user.id,
          clientId: FIRST_PARTY_CLIENT_ID,
          grantId,
          ip: context.ip,
          userAgent: context.userAgent,
        },
        manager,
      );
      await this.audit.record(
        {
          action: AuditAction.LOGIN_SUCCEEDED,
          outcome: 'success',
          actor: userActor(user.id),
          target: { type: 'session', id: started.id },
          details: { client_id: FIRST_PARTY_CLIENT_ID, scope },
        },
        manager,
      );
      return started;
    });
    const issued = await this.tokens.issue(this.subjectOf(session), grantId, scope);
    return this.tokenResponse(issued, session.id, user.requiresPasswordChange);
  }

  /**
   * Rotates a refresh token. The session row is locked first, so of concurrent uses of one
   * token exactly one rotates; any other use is reuse, which ends the session and so every
   * token of its family.
   */
  async refresh(value: string): Promise<TokenResponseDto> {
    const presented = await this.tokens.findRefreshToken(value);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const found = await this.sessions.lockByGrantId(presented.grantId, manager);
      if (!(await this.tokens.consumeRefreshToken(presented, manager))) {
        if (found) await this.sessions.revoke(found.session.id, 'refresh_token_reuse', manager);
        await this.audit.record(
          {
            action: AuditAction.REFRESH_TOKEN_REUSED,
            outcome: 'failure',
            actor: userActor(presented.userId),
            target: found ? { type: 'session', id: found.session.id } : undefined,
          },
          manager,
        );
        return { kind: 'reused' } as const;
      }
      if (!found?.live) return { kind: 'ended' } as const;
      await this.sessions.recordActivity(found.session.id, manager);
      return { kind: 'rotated', session: found.session } as const;
    });
    if (outcome.kind === 'reused') throw OAuthErrors.create(OAuthErrorCode.REFRESH_TOKEN_REUSED);
    if (outcome.kind === 'ended') throw OAuthErrors.create(OAuthErrorCode.SESSION_EXPIRED);
    // Issued after the commit: the provider saves tokens on its own pooled connection, and
    // holding this transaction's connection while waiting for another would let a handful of
    // concurrent refreshes exhaust the pool. A reuse that slips in meanwhile ends the session,
    // and these tokens with it.
    const issued = await this.tokens.issue(
      this.subjectOf(outcome.session),
      presented.grantId,
      presented.scope,
    );
    const user = await this.users.findById(presented.userId);
    return this.tokenResponse(issued, outcome.session.id, user.requiresPasswordChange);
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.revoke(auth.sessionId, 'logout', manager);
      await this.audit.record(
        {
          action: AuditAction.LOGOUT,
          outcome: 'success',
          actor: userActor(auth.userId),
          target: { type: 'session', id: auth.sessionId },
        },
        manager,
      );
    });
  }

  async me(auth: AuthContext): Promise<UserWithRoleNames> {
    return auth.user ?? this.users.findWithRoleNamesById(auth.userId);
  }

  async updateProfile(auth: AuthContext, patch: UpdateProfileDto): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { user, changes } = await this.users.updateProfile(
        auth.userId,
        {
          name: patch.name,
          givenName: patch.given_name,
          familyName: patch.family_name,
          middleName: patch.middle_name,
          nickname: patch.nickname,
          preferredUsername: patch.preferred_username,
          profile: patch.profile,
          picture: patch.picture,
          website: patch.website,
          gender: patch.gender,
          birthdate: patch.birthdate,
          zoneinfo: patch.zoneinfo,
          locale: patch.locale,
          phoneNumber: patch.phone_number,
          address:
            patch.address === undefined ? undefined : patch.address === null ? null : { ...patch.address },
        },
        manager,
      );
      if (Object.keys(changes).length > 0) {
        await this.audit.record(
          {
            action: AuditAction.PROFILE_UPDATED,
            outcome: 'success',
            actor: userActor(auth.userId),
            target: { type: 'user', id: auth.userId },
            details: { changes },
          },
          manager,
        );
      }
      return user;
    });
  }

  /** The caller's own security history, newest first. */
  async listActivity(auth: AuthContext, page: AuditActivityQueryDto): Promise<Page<AuditEventEntity>> {
    return this.accountActivity.pageForUser(auth.userId, page);
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(auth: AuthContext, input: ChangePasswordDto): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.users.changePassword(auth.userId, input.current_password, input.new_password, manager);
      const ended = await this.sessions.revokeAllForUser(auth.userId, 'password_changed', manager, {
        exceptSessionId: auth.sessionId,
      });
      await this.audit.record(
        {
          action: AuditAction.PASSWORD_CHANGED,
          outcome: 'success',
          actor: userActor(auth.userId),
          target: { type: 'user', id: auth.userId },
          details: { other_sessions_ended: ended },
        },
        manager,
      );
    });
  }

  async listSessions(auth: AuthContext): Promise<SessionEntity[]> {
    return this.sessions.listForUser(auth.userId);
  }

  async revokeSession(auth: AuthContext, sessionId: string): Promise<void> {
    await this.sessions.findForUser(auth.userId, sessionId);
    await this.dataSource.transaction(async (manager) => {
      const ended = await this.sessions.revoke(sessionId, 'user_revoked', manager);
      if (ended) {
        await this.audit.record(
          {
            action: AuditAction.SESSION_REVOKED,
            outcome: 'success',
            actor: userActor(auth.userId),
            target: { type: 'session', id: sessionId },
          },
          manager,
        );
      }
    });
  }

  /** Checks the password (with lockout) and audits a failure, or the lockout it caused, before rethrowing. */
  private async verifyCredentials(identifier: string, password: string): Promise<UserEntity> {
    try {
      return await this.credentials.verify(identifier, password);
    } catch (error) {
      if (error instanceof AccountLockedError && error.lockedByThisAttempt) {
        await this.audit.record({
          action: AuditAction.LOGIN_LOCKED,
          outcome: 'failure',
          actor: ANONYMOUS_ACTOR,
          details: { locked_for_seconds: error.retryAfterSeconds },
        });
      } else if (
        error instanceof DomainError &&
        (error.code === UsersErrorCode.INVALID_CREDENTIALS || error.code === UsersErrorCode.ACCOUNT_LOCKED)
      ) {
        const reason =
          error.code === UsersErrorCode.ACCOUNT_LOCKED ? 'account_locked' : 'invalid_credentials';
        await this.audit.record({
          action: AuditAction.LOGIN_FAILED,
          outcome: 'failure',
          actor: ANONYMOUS_ACTOR,
          details: { reason },
        });
      }
      throw error;
    }
  }

  /** What was asked that the user may have; everything it may have when nothing was asked. */
  private grantedScope(user: UserEntity, requested: string | undefined): string {
    const grantable = new Set<string>([...BASE_SCOPES, ...this.users.scopesOf(user)]);
    const asked = requested?.split(/\s+/).filter(Boolean);
    const granted =
      asked && asked.length > 0
        ? [...new Set(asked)].filter((scope) => grantable.has(scope))
        : [...grantable];
    return granted.join(' ');
  }

  private subjectOf(session: SessionEntity): TokenSubject {
    const remaining = Math.floor((session.expiresAt.getTime() - this.clock.now().getTime()) / 1000);
    return { userId: session.userId, sessionId: session.id, sessionRemainingSeconds: remaining };
  }

  private tokenResponse(
    issued: { accessToken: string; refreshToken: string; expiresIn: number; scope: string },
    sessionId: string,
    passwordChangeRequired: boolean,
  ): TokenResponseDto {
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      refresh_token: issued.refreshToken,
      session_id: sessionId,
      scope: issued.scope,
      password_change_required: passwordChangeRequired,
    };
  }
}
