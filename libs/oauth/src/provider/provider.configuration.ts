import { ADMIN_SCOPES } from '@portcullis/users';
import type { Account, Adapter, ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';

import { ID_TOKEN_TTL_SECONDS, SIGNING_ALGORITHM, type PrivateSigningJwk } from '../keys/keys.service.js';
import { FIRST_PARTY_CLIENT_ID, INTERACTION_PATH_PREFIX, OAUTH_ROUTES } from './oauth-routes.js';
import { OIDC_SCOPES, SCOPE_CLAIMS } from './oidc-claims.js';

export interface ProviderConfigurationInputs {
  adapter: new (model: string) => Adapter;
  jwks: PrivateSigningJwk[];
  cookieKeys: string[];
  apiAudience: string;
  accessTokenTtl: number;
  sessionTtl: number;
  findAccount: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
}

/** The first-party client: tokens of POST /api/v1/auth/login; it cannot use the token endpoint itself. */
const FIRST_PARTY_CLIENT: ClientMetadata = {
  client_id: FIRST_PARTY_CLIENT_ID,
  client_name: 'Portcullis',
  token_endpoint_auth_method: 'none',
  grant_types: [],
  response_types: [],
  redirect_uris: [],
};

/**
 * oidc-provider's configuration. The scopes our API understands are the OIDC ones plus
 * the admin scopes; our API is the resource `<issuer>/api` and gets ES256 JWT access tokens.
 */
export function providerConfiguration(inputs: ProviderConfigurationInputs): Configuration {
  const apiScopes = [...OIDC_SCOPES.filter((scope) => scope !== 'offline_access'), ...ADMIN_SCOPES].join(' ');
  return {
    adapter: inputs.adapter,
    clients: [FIRST_PARTY_CLIENT],
    jwks: { keys: inputs.jwks as never[] },
    findAccount: inputs.findAccount,
    claims: { ...SCOPE_CLAIMS } as unknown as Configuration['claims'],
    scopes: [...OIDC_SCOPES, ...ADMIN_SCOPES],
    cookies: { keys: inputs.cookieKeys, long: { signed: true }, short: { signed: true } },
    routes: { ...OAUTH_ROUTES },
    pkce: { required: () => true },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: SIGNING_ALGORITHM,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALGORITHM] },
    ttl: {
      AccessToken: inputs.accessTokenTtl,
      AuthorizationCode: 60,
      ClientCredentials: inputs.accessTokenTtl,
      DeviceCode: 600,
      Grant: inputs.sessionTtl,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      RefreshToken: inputs.sessionTtl,
      Session: inputs.sessionTtl,
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => inputs.apiAudience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== inputs.apiAudience)
            throw new Error(`Unknown resource ${resourceIndicator}`);
          return {
            scope: apiScopes,
            audience: inputs.apiAudience,
            accessTokenTTL: inputs.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALGORITHM } },
          };
        },
      },
    },
    // First-party tokens carry their session id (`sid`) as an extra claim set at issuance;
    // oidc-provider would otherwise replace `extra` with this hook's result.
    extraTokenClaims: (_ctx, token) => (token as { extra?: Record<string, unknown> }).extra,
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH_PREFIX}/${interaction.uid}` },
  } as Configuration;
}
