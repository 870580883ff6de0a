import { Injectable } from '@nestjs/common';
import { RoleScopesService } from '@portcullis/users';
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';

import { BrowserSessionsService } from '../browser-sessions/browser-sessions.service.js';
import { ConsentsService } from '../consents/consents.service.js';
import { applyScopes, type RequestedScopes } from './grant-scopes.js';

/** The scopes of an authorization request, as oidc-provider resolved them. */
export function requestedScopes(ctx: KoaContextWithOIDC): RequestedScopes {
  const oidc = ctx.oidc as unknown as {
    requestParamOIDCScopes: Set<string>;
    requestParamScopes: Set<string>;
    resourceServers?: Record<string, { scopes: Set<string> }>;
  };
  const resources: Record<string, string[]> = {};
  for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
    resources[indicator] = [...oidc.requestParamScopes].filter((scope) => server.scopes.has(scope));
  }
  return { oidc: [...oidc.requestParamOIDCScopes], resources };
}

/**
 * oidc-provider's `loadExistingGrant`: binds the browser session to our sessions row, then
 * finds the grant the request may reuse. Scopes a user consented to before (or any scope,
 * for a first-party client with skip_consent) are granted without asking again, and admin:*
 * scopes only when the user's roles hold them.
 */
@Injectable()
export class GrantLoader {
  constructor(
    private readonly browserSessions: BrowserSessionsService,
    private readonly consents: ConsentsService,
    private readonly roleScopes: RoleScopesService,
  ) {}

  async load(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
    if (!(await this.browserSessions.bind(ctx))) return undefined;
    const { provider, session, client } = ctx.oidc;
    const accountId = session!.accountId!;
    const clientId = client!.clientId;

    const grantId = ctx.oidc.result?.consent?.grantId ?? session!.grantIdFor(clientId);
    const found = grantId ? await provider.Grant.find(grantId) : undefined;
    const existing = found?.accountId === accountId && found.clientId === clientId ? found : undefined;

    const skipConsent = client!.metadata().skip_consent === true;
    const remembered = skipConsent ? undefined : await this.consents.find(accountId, clientId);
    if (!skipConsent && !remembered) return existing;

    const grant = existing ?? new provider.Grant({ accountId, clientId });
    const consented = skipConsent ? () => true : (scope: string) => remembered!.includes(scope);
    applyScopes(grant, requestedScopes(ctx), consented, await this.userScopes(accountId));
    await grant.save();
    return grant;
  }

  async userScopes(userId: string): Promise<Set<string>> {
    return new Set(await this.roleScopes.scopesOf(userId));
  }
}
