import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditAction, AuditService, userActor } from '@portcullis/audit';
import { CoreErrorCode, CoreErrors } from '@portcullis/core';
import { UsersService, toOidcClaims } from '@portcullis/users';
import type { DataSource } from 'typeorm';

import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { SCOPE_CLAIMS } from '../provider/oidc-claims.js';
import { OidcProviderService } from '../provider/oidc-provider.service.js';
import { parseUserinfoUpdate } from './userinfo-update.js';

/**
 * PUT userinfo: the user, through a client it authorized, changes the standard claims the
 * token's scopes cover. It takes the same access tokens as GET userinfo (the provider's,
 * for no resource server), and answers the claims those scopes release afterwards.
 */
@Injectable()
export class UserinfoUpdateService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly oidc: OidcProviderService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async update(authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
    const { accountId, clientId, scopes } = await this.authenticate(authorization);
    const parsed = parseUserinfoUpdate(body, scopes);
    if ('notGranted' in parsed) {
      throw OAuthErrors.create(
        OAuthErrorCode.CLAIMS_NOT_GRANTED,
        `Not covered by the granted scopes: ${parsed.notGranted.join(', ')}.`,
      );
    }
    if ('errors' in parsed) {
      throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'Some claims are not valid.', {
        errors: parsed.errors,
      });
    }
    const user = await this.dataSource.transaction(async (manager) => {
      const { user: updated, changes } = await this.users.updateProfile(accountId, parsed.patch, manager);
      if (Object.keys(changes).length > 0) {
        await this.audit.record(
          {
            action: AuditAction.PROFILE_UPDATED,
            outcome: 'success',
            actor: userActor(accountId),
            target: { type: 'user', id: accountId },
            details: { changes, client_id: clientId },
          },
          manager,
        );
      }
      return updated;
    });
    const claims = toOidcClaims(user) as Record<string, unknown>;
    const released = new Set<string>(['sub']);
    for (const scope of scopes)
      for (const claim of SCOPE_CLAIMS[scope as keyof typeof SCOPE_CLAIMS] ?? []) released.add(claim);
    return Object.fromEntries(Object.entries(claims).filter(([claim]) => released.has(claim)));
  }

  private async authenticate(authorization: string | undefined) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization?.trim() ?? '');
    const token = match ? await this.oidc.provider.AccessToken.find(match[1]) : undefined;
    const client = token?.clientId ? await this.oidc.provider.Client.find(token.clientId) : undefined;
    const scopes = new Set((token?.scope ?? '').split(' '));
    if (
      !token ||
      !token.isValid ||
      !token.accountId ||
      !client ||
      token.aud !== undefined ||
      !scopes.has('openid')
    ) {
      throw OAuthErrors.create(OAuthErrorCode.INVALID_TOKEN, undefined, {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    return { accountId: token.accountId, clientId: client.clientId, scopes };
  }
}
