import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { digest } from '../provider/postgres.adapter.js';
import type { ClientEntity } from './client.entity.js';
import { ClientsService } from './clients.service.js';

/** The oidc_payloads model of a revoked client_credentials token, kept until the token expires. */
const REVOKED_CLIENT_CREDENTIALS = 'RevokedClientCredentials';

/**
 * oidc-provider's client_credentials JWT claims: its subject is the client, and no session is
 * named (a user's token names the session it belongs to).
 */
export function isClientTokenClaims(
  claims: Record<string, unknown>,
): claims is Record<string, unknown> & { client_id: string } {
  return typeof claims.client_id === 'string' && claims.sub === claims.client_id && claims.sid === undefined;
}

/**
 * Whether a client's own token still stands. These tokens are not stored (a record of each
 * was a third of the database's work per token), so a verified one stands while, as Keycloak
 * has it:
 * - its client is active, was created before the token and has not been deactivated since the
 *   token was issued (`tokensRevokedAt`), so deactivation ends every token at once, for good;
 * - it is not revoked: revocation lists its digest until it expires.
 * The provider's adapter asks on introspection and revocation, our API's guard on every request.
 */
@Injectable()
export class ClientTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
  ) {}

  async stands(token: string, clientId: string, issuedAt: number): Promise<boolean> {
    const client = await this.clients.findActiveForProvider(clientId);
    if (!client || !issuedWhileValid(issuedAt, client)) return false;
    const revoked = (await this.dataSource.query(`SELECT 1 FROM oidc_payloads WHERE model = $1 AND id = $2`, [
      REVOKED_CLIENT_CREDENTIALS,
      digest(token),
    ])) as unknown[];
    return revoked.length === 0;
  }

  /** Lists a token as revoked until `expiresAt` (seconds), when it would end anyway. */
  async revoke(token: string, expiresAt: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ($1, $2, '{}', to_timestamp($3))
       ON CONFLICT (model, id) DO NOTHING`,
      [REVOKED_CLIENT_CREDENTIALS, digest(token), expiresAt],
    );
  }
}

/**
 * Issued to this client (not an earlier one of the same id) and after its last deactivation.
 * `iat` is in whole seconds: a token from the second of the deactivation counts as before it.
 */
function issuedWhileValid(iat: number, client: ClientEntity): boolean {
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  if (iat < seconds(client.createdAt)) return false;
  return !client.tokensRevokedAt || iat > seconds(client.tokensRevokedAt);
}
