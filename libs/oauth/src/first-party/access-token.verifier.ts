import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import { SessionsService } from '@portcullis/sessions';

import {
  AccessTokenRejected,
  type SignedAccessToken,
  verifyAccessTokenSignature,
} from '../keys/access-token-signature.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { digest } from '../provider/postgres.adapter.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** What a verified access token for our API says. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  clientId: string;
  scopes: readonly string[];
  jti: string;
  exp: number;
}

const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies our API's JWT access tokens on the hot path: node:crypto with the public key
 * objects KeysService keeps (no JWKS fetch, no key import per request), then iss, aud,
 * typ, exp and the claims the guard relies on. A token verified once is remembered (with the
 * key that verified it) until it expires, so a client reusing its token pays for the ECDSA
 * check once; the guard's session check still runs on every request.
 */
@Injectable()
export class AccessTokenVerifier implements OnModuleInit {
  private readonly verified = new VerifiedTokenCache();

  constructor(
    private readonly keys: KeysService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * A signature that still verifies is not enough: revoking a token, ending its session,
   * revoking its grant or deactivating its client deletes its record (stored-jwt-access-tokens.ts).
   * The session check tests the record in the same statement, one primary-key probe. A
   * client's own token (client_credentials) has no session and is refused before this.
   */
  onModuleInit(): void {
    this.sessions.requireOfTokens({
      sql: (placeholder) =>
        `EXISTS (SELECT 1 FROM oidc_payloads WHERE model = 'AccessToken'
                   AND id = ${placeholder} AND (expires_at IS NULL OR expires_at > now()))`,
      parameter: (token) => this.recordIdOf(token),
    });
  }

  /** The id a token's record is stored under; worked out once for a token verified here. */
  private recordIdOf(token: string): string {
    return this.verified.recordIdOf(token) ?? digest(token);
  }

  /**
   * The claims of a token this process has verified before, if its key is still current and
   * it has not expired; otherwise undefined, and verify() decides. Synchronous, for the hot path.
   */
  knownClaims(token: string): Readonly<AccessTokenClaims> | undefined {
    return this.verified.get(token, (kid) => this.keys.cachedVerificationKey(kid), isExpired)?.claims;
  }

  async verify(token: string): Promise<Readonly<AccessTokenClaims>> {
    const known = this.knownClaims(token);
    if (known) return known;

    let signed: SignedAccessToken;
    try {
      signed = await verifyAccessTokenSignature(token, this.keys);
    } catch (error) {
      throw error instanceof AccessTokenRejected ? invalid(error.message) : error;
    }
    const { kid, key, claims: payload } = signed;
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (payload.iss !== this.config.issuer) throw invalid('wrong issuer');
    if (!audiences.includes(this.config.apiAudience)) throw invalid('wrong audience');
    if (typeof payload.exp !== 'number' || isExpired(payload.exp)) throw invalid('expired');
    // A client's own token (client_credentials) names no session: it acts for no user.
    if (payload.sid === undefined && payload.sub !== undefined && payload.sub === payload.client_id) {
      throw invalid("a client's own token, acting for no user");
    }
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof payload.jti !== 'string'
    ) {
      throw invalid('missing claims');
    }
    const claims: AccessTokenClaims = {
      sub: payload.sub,
      sid: payload.sid,
      clientId: String(payload.client_id ?? ''),
      scopes: typeof payload.scope === 'string' && payload.scope.length > 0 ? payload.scope.split(' ') : [],
      jti: payload.jti,
      exp: payload.exp,
    };
    this.verified.set(token, { claims, kid, key, recordId: digest(token) });
    return claims;
  }
}

function isExpired(exp: number): boolean {
  return exp + CLOCK_TOLERANCE_SECONDS <= Math.floor(Date.now() / 1000);
}

function invalid(reason: string) {
  return OAuthErrors.create(OAuthErrorCode.INVALID_TOKEN, `The access token is invalid (${reason}).`);
}
