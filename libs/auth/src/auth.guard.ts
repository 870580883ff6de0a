import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenVerifier, type ClientTokenClaims, ClientTokens } from '@portcullis/oauth';
import { type SessionAccess, type SessionAccessWithUser, SessionsService } from '@portcullis/sessions';
import type { FastifyRequest } from 'fastify';

import type { AuthContext, ScopedCaller } from './auth-context.js';
import {
  ALLOWED_DURING_PASSWORD_CHANGE,
  IS_PUBLIC,
  READS_CALLER,
  REQUIRED_SCOPES,
} from './auth.decorators.js';
import { AuthErrorCode, AuthErrors } from './auth.errors.js';

/** What a route's decorators ask of the guard; read once per handler. */
interface RoutePolicy {
  isPublic: boolean;
  requiredScopes: string[];
  allowedDuringPasswordChange: boolean;
  readsCaller: boolean;
}

/**
 * The global guard: every route needs a valid bearer token whose session is still live,
 * unless it says @Public(). Then the scopes the route requires, then the forced password
 * change. The session and the token's record are read from PostgreSQL on every request, so a
 * revoked session or token stops working on every node at once (ending or deactivating a
 * client deletes its token records). A client's own token (client_credentials) opens only
 * routes that require scopes, while ClientTokens says it stands.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly clientTokens: ClientTokens,
  ) {}

  /**
   * Route metadata never changes at run time, so reflection runs once per route. Keyed by
   * controller class, then handler: an inherited handler may serve classes with other metadata.
   */
  private readonly policies = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyFor(context);
    if (policy.isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & { auth?: AuthContext }>();
    const token = bearerToken(request.headers.authorization);
    if (!token)
      throw AuthErrors.create(AuthErrorCode.MISSING_TOKEN, undefined, {
        headers: { 'www-authenticate': 'Bearer' },
      });

    // A token seen before is answered without a promise: this runs on every request.
    const claims = this.verifier.knownClaims(token) ?? (await this.verifier.verify(token));
    if (claims.kind === 'client') {
      await this.admitClient(request, token, claims, policy);
      return true;
    }
    const access: (SessionAccess & Partial<SessionAccessWithUser>) | null = await this.sessions.checkAccess(
      claims.sid,
      claims.sub,
      { token, withUser: policy.readsCaller },
    );
    if (!access) {
      throw AuthErrors.create(AuthErrorCode.SESSION_ENDED, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (!access.tokenValid) {
      throw AuthErrors.create(AuthErrorCode.TOKEN_REVOKED, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    request.auth = {
      kind: 'user',
      userId: claims.sub,
      sessionId: claims.sid,
      clientId: claims.clientId,
      scopes: claims.scopes,
      user: access.user,
    };
    requireScopes(policy.requiredScopes, claims.scopes);
    if (access.requiresPasswordChange && !policy.allowedDuringPasswordChange) {
      throw AuthErrors.create(
        AuthErrorCode.PASSWORD_CHANGE_REQUIRED,
        'Change your password at POST /api/v1/auth/change-password.',
      );
    }
    return true;
  }

  /**
   * A client's own token (client_credentials): it acts for no user, so only routes that require
   * scopes take it, and only while the token stands (its client active and not deactivated
   * since, the token not revoked).
   */
  private async admitClient(
    request: { auth?: ScopedCaller },
    token: string,
    claims: ClientTokenClaims,
    policy: RoutePolicy,
  ): Promise<void> {
    if (policy.requiredScopes.length === 0) throw AuthErrors.create(AuthErrorCode.USER_TOKEN_REQUIRED);
    if (!(await this.clientTokens.stands(token, claims.clientId, claims.iat))) {
      throw AuthErrors.create(AuthErrorCode.TOKEN_REVOKED, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    request.auth = { kind: 'client', clientId: claims.clientId, scopes: claims.scopes };
    requireScopes(policy.requiredScopes, claims.scopes);
  }

  private policyFor(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.policies.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.policies.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      const targets = [handler, controller];
      policy = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
        requiredScopes:
          this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
        allowedDuringPasswordChange:
          this.reflector.getAllAndOverride<boolean>(ALLOWED_DURING_PASSWORD_CHANGE, targets) ?? false,
        readsCaller: this.reflector.getAllAndOverride<boolean>(READS_CALLER, targets) ?? false,
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}

function requireScopes(required: string[], granted: readonly string[]): void {
  const missing = required.filter((scope) => !granted.includes(scope));
  if (missing.length > 0) {
    throw AuthErrors.create(AuthErrorCode.INSUFFICIENT_SCOPE, `Missing scope: ${missing.join(' ')}.`, {
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${required.join(' ')}"` },
    });
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1];
}
