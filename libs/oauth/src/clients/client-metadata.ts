import type { ClientMetadata } from 'oidc-provider';

import type { ClientEntity } from './client.entity.js';

/** Our own client metadata the provider carries (declared in extraClientMetadata). */
export const PORTCULLIS_CLIENT_METADATA = [
  'skip_consent',
  'access_token_ttl',
  'refresh_token_ttl',
  'id_token_ttl',
] as const;

/**
 * A stored client as oidc-provider's metadata. `client_secret` is the secret's digest, never
 * the secret (see clientSecretAuthentication); only ES256 is offered for signed responses.
 */
export function toProviderMetadata(client: ClientEntity): ClientMetadata {
  const metadata: ClientMetadata = {
    client_id: client.clientId,
    client_name: client.name,
    application_type: 'web',
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    scope: client.scopes.join(' '),
    skip_consent: client.skipConsent,
    // ID tokens always say when the user signed in.
    require_auth_time: true,
  };
  if (client.clientSecretDigest) metadata.client_secret = client.clientSecretDigest;
  if (client.jwks) metadata.jwks = client.jwks as ClientMetadata['jwks'];
  if (client.backchannelLogoutUri) {
    metadata.backchannel_logout_uri = client.backchannelLogoutUri;
    metadata.backchannel_logout_session_required = true;
  }
  if (client.accessTokenTtl !== null) metadata.access_token_ttl = client.accessTokenTtl;
  if (client.refreshTokenTtl !== null) metadata.refresh_token_ttl = client.refreshTokenTtl;
  if (client.idTokenTtl !== null) metadata.id_token_ttl = client.idTokenTtl;
  return metadata;
}
