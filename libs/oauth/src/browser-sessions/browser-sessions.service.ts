import { Injectable } from '@nestjs/common';
import { SessionsService } from '@portcullis/sessions';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { FIRST_PARTY_CLIENT_ID } from '../provider/oauth-routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENDED = Symbol('browserSessionEnded');

type ContextWithFlag = KoaContextWithOIDC & { oidc: { [ENDED]?: boolean } };

/**
 * Maps the provider's browser session onto a row of our sessions table. The row's id is the
 * provider's `sid` for every client of that session, so ID tokens, logout tokens and our API's
 * access tokens all name the row, and the row's revocation finds every record of the session
 * (oidc_payloads.session_id). The row holds a first-party grant of its own, so that
 * SessionsService's revocation hooks fire for it.
 */
@Injectable()
export class BrowserSessionsService {
  constructor(private readonly sessions: SessionsService) {}

  /**
   * Called while an authorization request loads its grant, with a signed-in provider session.
   * Keeps a live row (counting this as activity); starts one for a session that has none yet
   * or right after the user signed in again; flags an ended row so the login prompt asks again.
   */
  async bind(ctx: KoaContextWithOIDC): Promise<string | undefined> {
    const session = ctx.oidc.session!;
    const accountId = session.accountId!;
    const clientId = ctx.oidc.client!.clientId;
    const known = this.sessionIdOf(session.authorizations);
    let sessionId = known && (await this.sessions.checkAccess(known, accountId)) ? known : undefined;
    if (!sessionId) {
      const signedInNow = ctx.oidc.result?.login !== undefined;
      if (known && !signedInNow) {
        (ctx as ContextWithFlag).oidc[ENDED] = true;
        return undefined;
      }
      sessionId = await this.startRow(ctx, accountId, clientId);
    }
    for (const id of new Set([...Object.keys(session.authorizations ?? {}), clientId])) {
      session.sidFor(id, sessionId);
    }
    return sessionId;
  }

  private async startRow(ctx: KoaContextWithOIDC, accountId: string, clientId: string): Promise<string> {
    const grant = new ctx.oidc.provider.Grant({ accountId, clientId: FIRST_PARTY_CLIENT_ID });
    const started = await this.sessions.start({
      userId: accountId,
      clientId,
      grantId: await grant.save(),
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || null,
    });
    return started.id;
  }

  /** Whether bind() found the browser session's row ended. */
  ended(ctx: KoaContextWithOIDC): boolean {
    return (ctx as ContextWithFlag).oidc[ENDED] === true;
  }

  /** Our sessions row of a provider session (every client's `sid` is the same row id). */
  sessionIdOf(authorizations: Record<string, { sid?: string }> | undefined): string | undefined {
    return Object.values(authorizations ?? {})
      .map((authorization) => authorization.sid)
      .find((sid): sid is string => typeof sid === 'string' && UUID.test(sid));
  }
}
