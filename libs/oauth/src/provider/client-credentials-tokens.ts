import type { AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';

import type { ClientEntity } from '../clients/client.entity.js';
import type { ClientsService } from '../clients/clients.service.js';
import {
  AccessTokenRejected,
  looksLikeJwt,
  unverifiedClaims,
  verifyAccessTokenSignature,
} from '../keys/access-token-signature.js';
import type { KeysService } from '../keys/keys.service.js';
import { digest } from './postgres.adapter.js';
import { ReadOnlyModelAdapter } from './read-only-model-adapter.js';
import { storedTokenValue } from './structured-token-lookup.js';

/** The oidc_payloads model of a revoked client_credentials token, kept until the token expires. */
export const REVOKED_CLIENT_CREDENTIALS = 'RevokedClientCredentials';

type Claims = Record<string, unknown>;

/**
 * The provider's storage for client_credentials access tokens, which stores none. A client's
 * token (an ES256 JWT) carries all it says, and a record of each was most of the database's
 * work per token for the sake of introspection and revocation alone. Instead, as Keycloak
 * does, the token is found by verifying it:
 * - our signature (a retired key too, while it is published) and our issuer;
 * - a client's token, naming no user session (a user's token is AccessToken's, and stored);
 * - its client active, created before the token and not deactivated since it was issued
 *   (`tokensRevokedAt`), so deactivation ends every token at once and for good;
 * - not revoked: revocation lists the token's digest until the token expires.
 * Expiry is the provider's own check on what find returns.
 */
export class ClientCredentialsAdapter extends ReadOnlyModelAdapter {
  protected readonly notWritten = 'client_credentials tokens are JWTs and are not stored';

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly clients: ClientsService,
    private readonly issuer: string,
  ) {
    super();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const token = storedTokenValue(id);
    if (!looksLikeJwt(token)) return undefined;
    let claims: Claims;
    try {
      // Introspection asks every model: a user's token is refused before its signature is checked.
      if (!isClientToken(unverifiedClaims(token))) return undefined;
      ({ claims } = await verifyAccessTokenSignature(token, this.keys));
    } catch (error) {
      if (error instanceof AccessTokenRejected) return undefined;
      throw error;
    }
    if (claims.iss !== this.issuer || !isClientToken(claims)) return undefined;
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return undefined;
    const client = await this.clients.findActiveForProvider(claims.client_id);
    if (!client || !issuedWhileValid(claims.iat, client)) return undefined;
    if (await this.isRevoked(token)) return undefined;
    return toPayload(id, claims);
  }

  /** Revocation: find() has verified the token; it is listed until it expires. */
  async destroy(id: string): Promise<void> {
    const token = storedTokenValue(id);
    const { exp } = unverifiedClaims(token);
    if (typeof exp !== 'number') return;
    await this.dataSource.query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ($1, $2, '{}', to_timestamp($3))
       ON CONFLICT (model, id) DO NOTHING`,
      [REVOKED_CLIENT_CREDENTIALS, digest(token), exp],
    );
  }

  private async isRevoked(token: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM oidc_payloads WHERE model = $1 AND id = $2`, [
      REVOKED_CLIENT_CREDENTIALS,
      digest(token),
    ])) as unknown[];
    return rows.length > 0;
  }
}

/** oidc-provider's client_credentials JWT: its subject is the client, and no session is named. */
function isClientToken(claims: Claims): claims is Claims & { client_id: string } {
  return typeof claims.client_id === 'string' && claims.sub === claims.client_id && claims.sid === undefined;
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

/**
 * The ClientCredentials model's payload, from the claims oidc-provider's JWT format wrote
 * (lib/models/formats/jwt.js); `jti` is the value presented, as for a stored token.
 */
function toPayload(id: string, claims: Claims & { client_id: string }): AdapterPayload {
  const {
    jti: _jti,
    sub: _sub,
    iss: _iss,
    iat,
    exp,
    scope,
    client_id: clientId,
    aud,
    cnf,
    authorization_details: _details,
    ...extra
  } = claims;
  const confirmation = (cnf ?? {}) as { jkt?: string; 'x5t#S256'?: string };
  return {
    kind: 'ClientCredentials',
    jti: id,
    iat: iat as number,
    exp: exp as number,
    clientId,
    ...(typeof scope === 'string' ? { scope } : {}),
    ...(aud !== undefined ? { aud: aud as string | string[] } : {}),
    ...(confirmation.jkt ? { jkt: confirmation.jkt } : {}),
    ...(confirmation['x5t#S256'] ? { 'x5t#S256': confirmation['x5t#S256'] } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
