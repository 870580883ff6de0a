import { ClientEntity, type ClientAuthMethod, type ClientJwks, type ClientType } from './client.entity.js';

/** An oauth_clients row as `SELECT *` returns it. */
export interface ClientRow {
  client_id: string;
  client_secret_digest: string | null;
  name: string;
  type: ClientType;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  token_endpoint_auth_method: ClientAuthMethod;
  jwks: ClientJwks | null;
  skip_consent: boolean;
  is_active: boolean;
  access_token_ttl: number | null;
  refresh_token_ttl: number | null;
  id_token_ttl: number | null;
  backchannel_logout_uri: string | null;
  tokens_revoked_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function fromClientRow(row: ClientRow): ClientEntity {
  return Object.assign(new ClientEntity(), {
    clientId: row.client_id,
    clientSecretDigest: row.client_secret_digest,
    name: row.name,
    type: row.type,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    grantTypes: row.grant_types,
    scopes: row.scopes,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    jwks: row.jwks,
    skipConsent: row.skip_consent,
    isActive: row.is_active,
    accessTokenTtl: row.access_token_ttl,
    refreshTokenTtl: row.refresh_token_ttl,
    idTokenTtl: row.id_token_ttl,
    backchannelLogoutUri: row.backchannel_logout_uri,
    tokensRevokedAt: row.tokens_revoked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
