import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditActor, AuditService } from '@portcullis/audit';
import type { DataSource, EntityManager } from 'typeorm';

import { OAuthAuditAction } from '../events/oauth-audit-actions.js';
import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { ConsentEntity } from './consent.entity.js';

/**
 * What each user allowed each client. Consent is asked once per scope and remembered until
 * the user revokes it; revoking also ends every grant and token the client holds for the user.
 */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The scopes the user allowed the client, or undefined when it never did (or revoked). */
  async find(userId: string, clientId: string): Promise<string[] | undefined> {
    const consent = await this.dataSource.getRepository(ConsentEntity).findOneBy({ userId, clientId });
    return consent?.scopes;
  }

  /** The user's consents, latest first, each with its client. */
  listForUser(userId: string): Promise<ConsentEntity[]> {
    return this.dataSource
      .getRepository(ConsentEntity)
      .find({ where: { userId }, relations: { client: true }, order: { updatedAt: 'DESC' } });
  }

  /** Adds scopes to what the user allowed the client. */
  async remember(userId: string, clientId: string, scopes: string[], manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, client_id) DO UPDATE SET
         scopes = ARRAY(SELECT DISTINCT unnest(oauth_consents.scopes || EXCLUDED.scopes) ORDER BY 1),
         updated_at = now()`,
      [userId, clientId, [...new Set(scopes)].sort()],
    );
  }

  /**
   * Forgets the consent and deletes the client's grants and tokens for the user, audited as
   * done by `actor` (the user, or an admin); false when there was none.
   */
  revoke(userId: string, clientId: string, actor: AuditActor, manager?: EntityManager): Promise<boolean> {
    return manager
      ? this.revokeIn(userId, clientId, actor, manager)
      : this.dataSource.transaction((em) => this.revokeIn(userId, clientId, actor, em));
  }

  /** revoke(), for a consent the caller says exists: none is CONSENT_NOT_FOUND (404). */
  async revokeExisting(userId: string, clientId: string, actor: AuditActor): Promise<void> {
    if (!(await this.revoke(userId, clientId, actor))) {
      throw OAuthErrors.create(OAuthErrorCode.CONSENT_NOT_FOUND, `You have given ${clientId} no consent.`);
    }
  }

  private async revokeIn(
    userId: string,
    clientId: string,
    actor: AuditActor,
    em: EntityManager,
  ): Promise<boolean> {
    const [, deleted] = (await em.query(`DELETE FROM oauth_consents WHERE user_id = $1 AND client_id = $2`, [
      userId,
      clientId,
    ])) as [unknown, number];
    // Grants, codes and tokens all name their account and client.
    await em.query(
      `DELETE FROM oidc_payloads WHERE payload->>'accountId' = $1 AND payload->>'clientId' = $2`,
      [userId, clientId],
    );
    if (deleted > 0) {
      await this.audit.record(
        {
          action: OAuthAuditAction.CONSENT_REVOKED,
          outcome: 'success',
          actor,
          target: { type: 'client', id: clientId },
          details: { user_id: userId },
        },
        em,
      );
    }
    return deleted > 0;
  }
}
