import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditAction, AuditService, userActor } from '@portcullis/audit';
import { SessionsService } from '@portcullis/sessions';
import type { Client, KoaContextWithOIDC, Session } from 'oidc-provider';
import type { DataSource, EntityManager } from 'typeorm';

import { OidcProviderService } from '../provider/oidc-provider.service.js';
import { deleteGrants } from '../provider/postgres.adapter.js';
import { BrowserSessionsService } from './browser-sessions.service.js';

const NOTIFY_ATTEMPTS = 20;
const NOTIFY_POLL_MS = 100;

interface EndedProviderSession {
  accountId: string;
  authorizations: Record<string, { sid?: string; grantId?: string }>;
}

/**
 * Keeps a browser session and its sessions row ending together, whichever ends first:
 * - the row is revoked (by the user, an admin, a password change...): the provider session,
 *   every client's grant and token in it are deleted in the same transaction, and clients
 *   with a back-channel logout URI are told once it has committed;
 * - the provider ends the session (RP-initiated logout): the row is revoked before the
 *   response goes out (the provider has already told the clients).
 */
@Injectable()
export class ProviderSessionEnding implements OnModuleInit {
  private readonly logger = new Logger(ProviderSessionEnding.name);
  /** Rows being revoked because the provider already ended their session and notified clients. */
  private readonly endedByProvider = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly browserSessions: BrowserSessionsService,
    private readonly oidc: OidcProviderService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.sessions.onRevocation((grantIds, manager) => this.endProviderSessions(grantIds, manager));
    this.oidc.onBuild((provider) => {
      provider.use(async (ctx, next) => {
        await next();
        await this.afterProviderRequest(ctx as KoaContextWithOIDC);
      });
    });
  }

  private async afterProviderRequest(ctx: KoaContextWithOIDC): Promise<void> {
    if (ctx.oidc?.route !== 'end_session_confirm') return;
    const session = ctx.oidc.entities.Session as (Session & { destroyed?: boolean }) | undefined;
    if (!session?.destroyed) return;
    const sessionId = this.browserSessions.sessionIdOf(session.authorizations);
    if (!sessionId) return;
    this.endedByProvider.add(sessionId);
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.sessions.revoke(sessionId, 'logout', manager))) return;
        await this.audit.record(
          {
            action: AuditAction.LOGOUT,
            outcome: 'success',
            actor: userActor(session.accountId!),
            target: { type: 'session', id: sessionId },
            details: { client_id: ctx.oidc.client?.clientId ?? null },
          },
          manager,
        );
      });
    } finally {
      this.endedByProvider.delete(sessionId);
    }
  }

  private async endProviderSessions(grantIds: string[], manager: EntityManager): Promise<void> {
    const rows = (await manager.query(`SELECT id FROM sessions WHERE grant_id = ANY($1::text[])`, [
      grantIds,
    ])) as {
      id: string;
    }[];
    const sessionIds = rows.map((row) => row.id);
    if (sessionIds.length === 0) return;
    const ended = (
      (await manager.query(
        `SELECT payload FROM oidc_payloads WHERE model = 'Session' AND session_id = ANY($1::uuid[])`,
        [sessionIds],
      )) as { payload: EndedProviderSession }[]
    ).map((row) => row.payload);
    const clientGrantIds = ended.flatMap((session) =>
      Object.values(session.authorizations ?? {}).flatMap((authorization) => authorization.grantId ?? []),
    );
    await manager.query(`DELETE FROM oidc_payloads WHERE session_id = ANY($1::uuid[])`, [sessionIds]);
    if (clientGrantIds.length > 0) {
      await deleteGrants((sql, parameters) => manager.query(sql, parameters), clientGrantIds);
    }
    for (const session of ended) {
      const sid = this.browserSessions.sessionIdOf(session.authorizations);
      if (sid && !this.endedByProvider.has(sid)) {
        this.notifyOnceRevoked(sid, session).catch((error: unknown) =>
          this.logger.warn(`Back-channel logout for session ${sid} not sent: ${String(error)}`),
        );
      }
    }
  }

  /**
   * Sends the logout tokens once the revocation is visible, i.e. its transaction committed:
   * a rolled-back revocation never tells a client its session ended.
   */
  private async notifyOnceRevoked(sessionId: string, session: EndedProviderSession): Promise<void> {
    for (let attempt = 0; attempt < NOTIFY_ATTEMPTS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, NOTIFY_POLL_MS));
      const [row] = (await this.dataSource.query(`SELECT revoked_at FROM sessions WHERE id = $1`, [
        sessionId,
      ])) as { revoked_at: Date | null }[];
      if (!row || row.revoked_at) {
        await this.notifyClients(session);
        return;
      }
    }
  }

  private async notifyClients(session: EndedProviderSession): Promise<void> {
    const provider = this.oidc.provider;
    for (const [clientId, { sid }] of Object.entries(session.authorizations ?? {})) {
      const client = (await provider.Client.find(clientId).catch(() => undefined)) as
        (Client & { backchannelLogout(sub: string, sid: string): Promise<void> }) | undefined;
      if (!client?.backchannelLogoutUri || !sid) continue;
      await client
        .backchannelLogout(session.accountId, sid)
        .then(() => this.logger.log(`Back-channel logout sent to ${clientId}`))
        .catch((error: unknown) =>
          this.logger.warn(`Back-channel logout to ${clientId} failed: ${(error as Error).message}`),
        );
    }
  }
}
