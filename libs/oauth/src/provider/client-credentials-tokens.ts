import type { AdapterPayload } from 'oidc-provider';

import { type ClientTokens, isClientTokenClaims } from '../clients/client-tokens.js';
import {
  AccessTokenRejected,
  looksLikeJwt,
  unverifiedClaims,
  verifyAccessTokenSignature,
} from '../keys/access-token-signature.js';
import type { KeysService } from '../keys/keys.service.js';
import { ReadOnlyModelAdapter } from './read-only-model-adapter.js';
import { storedTokenValue } from './structured-token-lookup.js';

type Claims = Record<string, unknown>;

/**
 * The provider's storage for client_credentials access tokens, which stores none
 * (ClientTokens says why). A token is found by verifying it: our signature (a retired key
 * too, while it is published), our issuer, a client's token (a user's token is AccessToken's,
 * and stored), and still standing (ClientTokens.stands). Expiry is the provider's own check
 * on what find returns; revocation lists the token until it expires.
 */
export class ClientCredentialsAdapter extends ReadOnlyModelAdapter {
  protected readonly notWritten = 'client_credentials tokens are JWTs and are not stored';

  constructor(
    private readonly keys: KeysService,
    private readonly clientTokens: ClientTokens,
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
      if (!isClientTokenClaims(unverifiedClaims(token))) return undefined;
      ({ claims } = await verifyAccessTokenSignature(token, this.keys));
    } catch (error) {
      if (error instanceof AccessTokenRejected) return undefined;
      throw error;
    }
    if (claims.iss !== this.issuer || !isClientTokenClaims(claims)) return undefined;
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return undefined;
    if (!(await this.clientTokens.stands(token, claims.client_id, claims.iat))) return undefined;
    return toPayload(id, claims);
  }

  /** Revocation: find() has verified the token; it is listed until it expires. */
  async destroy(id: string): Promise<void> {
    const token = storedTokenValue(id);
    const { exp } = unverifiedClaims(token);
    if (typeof exp === 'number') await this.clientTokens.revoke(token, exp);
  }
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
