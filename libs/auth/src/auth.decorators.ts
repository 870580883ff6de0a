import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { IS_PUBLIC, Public } from '@portcullis/core';

import type { AuthContext } from './auth-context.js';

// Defined in core so that libs left of this one (the OAuth pages) mark their routes the same
// way; still part of this lib's face, where every other route decorator is.
export { IS_PUBLIC, Public };

export const REQUIRED_SCOPES = 'portcullis:required-scopes';
export const ALLOWED_DURING_PASSWORD_CHANGE = 'portcullis:allowed-during-password-change';
export const READS_CALLER = 'portcullis:reads-caller';
export const BEARER_SCHEME = 'bearer';

/**
 * The token must carry every one of these scopes; shown in OpenAPI as the security requirement.
 * Such a route also takes a client's own token (client_credentials): see AuthGuard.
 */
export const RequireScopes = (...scopes: string[]) =>
  applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), ApiSecurity(BEARER_SCHEME, scopes));

/** Marks the few routes a user who must change its password may still call. */
export const AllowDuringPasswordChange = () => SetMetadata(ALLOWED_DURING_PASSWORD_CHANGE, true);

/**
 * The handler shows the caller's own user row: the guard reads its version and role names in
 * the same statement as the session check and hands the user over as `auth.user`, from the
 * copy of that version this process keeps (UserSnapshots) or read afresh when it changed.
 */
export const ReadsCaller = () => SetMetadata(READS_CALLER, true);

/** Documents that a route needs a bearer token and no particular scope. */
export const Authenticated = () => ApiBearerAuth(BEARER_SCHEME);

/** The authenticated caller, as the guard established it. */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<{ auth?: AuthContext }>();
  if (!request.auth) throw new Error('@Auth() used on a route without authentication');
  return request.auth;
});
