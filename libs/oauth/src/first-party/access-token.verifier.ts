import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import { SessionsService } from '@portcullis/sessions';

import { isClientTokenClaims } from '../clients/client-tokens.js';
import {
  AccessTokenRejected,
  type SignedAccessToken,
  verifyAccessTokenSignature,
} from '../keys/access-token-signature.js';
import { KeysService } from '../keys/keys.service.js';
import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { digest } from '../provider/postgres.adapter.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** What a verified access token of a user (one of its sessions) for our API says. */
export interface UserTokenClaims {
  kind: 'user';
  sub: string;
  sid: string;
  clientId: string;
  scopes: readonly string[];
  jti: string;
  exp: number;
}

/** What a client's own token (client_credentials) for our API says: it acts for no user. */
export interface ClientTokenClaims {
  kind: 'client';
  clientId: string;
  scopes: readonly string[];
  jti: string;
  iat: number;
  exp: number;
}

export type AccessTokenClaims = UserTokenClaims | ClientTokenClaims;

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
   * A signature that still verifies is not enough: revoking a user's token, ending its
   * session, revoking its grant or deactivating its client deletes its record
   * (stored-jwt-access-tokens.ts). The session check tests the record in the same statement,
   * one primary-key probe. A client's own token has neither session nor record: the guard
   * asks ClientTokens whether it stands.
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
    if (typeof payload.jti !== 'string') throw invalid('missing claims');
    const scopes =
      typeof payload.scope === 'string' && payload.scope.length > 0 ? payload.scope.split(' ') : [];
    let claims: AccessTokenClaims;
    if (isClientTokenClaims(payload)) {
      if (typeof payload.iat !== 'number') throw invalid('missing claims');
      claims = {
        kind: 'client',
        clientId: payload.client_id,
        scopes,
        jti: payload.jti,
        iat: payload.iat,
        exp: payload.exp,
      };
    } else {
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw invalid('missing claims');
      claims = {
        kind: 'user',
        sub: payload.sub,
        sid: payload.sid,
        clientId: String(payload.client_id ?? ''),
        scopes,
        jti: payload.jti,
        exp: payload.exp,
      };
    }
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
