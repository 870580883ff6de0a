import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenVerifier } from '@portcullis/oauth';
import { SessionsService } from '@portcullis/sessions';
import type { FastifyRequest } from 'fastify';

import type { AuthContext } from './auth-context.js';
import { ALLOWED_DURING_PASSWORD_CHANGE, IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators.js';
import { AuthErrorCode, AuthErrors } from './auth.errors.js';

/**
 * The global guard: every route needs a valid bearer token whose session is still live,
 * unless it says @Public(). Then the scopes the route requires, then the forced password
 * change. The session and the token's record are read from PostgreSQL on every request, so a
 * revoked session or token stops working on every node at once (ending or deactivating a
 * client deletes its token records).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { auth?: AuthContext }>();
    const token = bearerToken(request.headers.authorization);
    if (!token)
      throw AuthErrors.create(AuthErrorCode.MISSING_TOKEN, undefined, {
        headers: { 'www-authenticate': 'Bearer' },
      });

    const claims = await this.verifier.verify(token);
    const [access, issued] = await Promise.all([
      this.sessions.checkAccess(claims.sid, claims.sub),
      this.verifier.stillIssued(token),
    ]);
    if (!access) {
      throw AuthErrors.create(AuthErrorCode.SESSION_ENDED, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (!issued) {
      throw AuthErrors.create(AuthErrorCode.TOKEN_REVOKED, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    request.auth = {
      userId: claims.sub,
      sessionId: claims.sid,
      clientId: claims.clientId,
      scopes: claims.scopes,
    };

    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [];
    const missing = required.filter((scope) => !claims.scopes.includes(scope));
    if (missing.length > 0) {
      throw AuthErrors.create(AuthErrorCode.INSUFFICIENT_SCOPE, `Missing scope: ${missing.join(' ')}.`, {
        headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${required.join(' ')}"` },
      });
    }
    if (
      access.requiresPasswordChange &&
      !this.reflector.getAllAndOverride<boolean>(ALLOWED_DURING_PASSWORD_CHANGE, targets)
    ) {
      throw AuthErrors.create(
        AuthErrorCode.PASSWORD_CHANGE_REQUIRED,
        'Change your password at POST /api/v1/auth/change-password.',
      );
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1];
}
