import { Injectable } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';
import type { Client } from 'oidc-provider';
import type { EntityManager } from 'typeorm';

import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { FIRST_PARTY_CLIENT_ID } from '../provider/oauth-routes.js';
import { OidcProviderService } from '../provider/oidc-provider.service.js';
import { consumeOnce } from '../provider/postgres.adapter.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

export interface TokenSubject {
  userId: string;
  sessionId: string;
  /** Seconds until the session's absolute expiry: refresh tokens never outlive it. */
  sessionRemainingSeconds: number;
}

/** A first-party refresh token as found, before it is used. */
export interface PresentedRefreshToken {
  value: string;
  grantId: string;
  userId: string;
  scope: string;
}

/**
 * First-party logins get their tokens from the provider's own models (a grant, a JWT access
 * token, a refresh token), so they are stored, introspected and revoked exactly like OAuth
 * tokens. Refresh tokens rotate on every use; a second use of one is reuse.
 */
@Injectable()
export class FirstPartyTokensService {
  /** The built-in client as the current provider instance knows it (rebuilt on key rotation). */
  private client?: { provider: object; client: Client };

  constructor(
    private readonly oidc: OidcProviderService,
    private readonly config: AppConfig,
  ) {}

  /** Creates the provider grant a new session's tokens will belong to. */
  async createGrant(userId: string, scope: string): Promise<string> {
    const { Grant } = this.oidc.provider;
    const grant = new Grant({ accountId: userId, clientId: FIRST_PARTY_CLIENT_ID });
    grant.addResourceScope(this.config.apiAudience, scope);
    return grant.save();
  }

  async issue(subject: TokenSubject, grantId: string, scope: string): Promise<IssuedTokens> {
    const { AccessToken, RefreshToken, ResourceServer } = this.oidc.provider;
    const client = await this.firstPartyClient();
    const audience = this.config.apiAudience;
    const accessTokenTtl = Math.max(
      1,
      Math.min(this.config.get('ACCESS_TOKEN_TTL'), subject.sessionRemainingSeconds),
    );
    const resourceServer = new ResourceServer(audience, {
      audience,
      scope,
      accessTokenTTL: accessTokenTtl,
      accessTokenFormat: 'jwt',
      jwt: { sign: { alg: 'ES256' } },
    });
    const accessToken = new AccessToken({
      accountId: subject.userId,
      client,
      grantId,
      scope,
      gty: 'password',
      resourceServer,
      expiresIn: accessTokenTtl,
      extra: { sid: subject.sessionId },
    } as never);
    const refreshToken = new RefreshToken({
      accountId: subject.userId,
      client,
      grantId,
      scope,
      resource: audience,
      gty: 'password',
      sid: subject.sessionId,
      expiresIn: Math.max(1, subject.sessionRemainingSeconds),
    } as never);
    const [accessValue, refreshValue] = await Promise.all([accessToken.save(), refreshToken.save()]);
    return { accessToken: accessValue, refreshToken: refreshValue, expiresIn: accessTokenTtl, scope };
  }

  /** Finds a first-party refresh token, consumed or not; unknown, expired or foreign ones are a 401. */
  async findRefreshToken(value: string): Promise<PresentedRefreshToken> {
    const token = await this.oidc.provider.RefreshToken.find(value);
    if (
      !token ||
      token.isExpired ||
      token.clientId !== FIRST_PARTY_CLIENT_ID ||
      !token.grantId ||
      !token.accountId
    ) {
      throw OAuthErrors.create(OAuthErrorCode.INVALID_REFRESH_TOKEN);
    }
    return { value, grantId: token.grantId, userId: token.accountId, scope: token.scope ?? '' };
  }

  /**
   * Marks a refresh token used, atomically: true for the one caller that used it first,
   * false for every later (or concurrent) use, which is reuse.
   */
  consumeRefreshToken(token: PresentedRefreshToken, manager: EntityManager): Promise<boolean> {
    return consumeOnce((sql, parameters) => manager.query(sql, parameters), 'RefreshToken', token.value);
  }

  private async firstPartyClient(): Promise<Client> {
    const provider = this.oidc.provider;
    if (this.client?.provider !== provider) {
      const client = await provider.Client.find(FIRST_PARTY_CLIENT_ID);
      if (!client) throw new Error(`The built-in client ${FIRST_PARTY_CLIENT_ID} is not registered`);
      this.client = { provider, client };
    }
    return this.client.client;
  }
}
