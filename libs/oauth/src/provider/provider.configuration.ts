import type {
  Account,
  Adapter,
  AdapterFactory,
  ClientMetadata,
  Configuration,
  ExternalSigningKey,
  Grant,
  KoaContextWithOIDC,
} from 'oidc-provider';
import { interactionPolicy } from 'oidc-provider';
import { ADMIN_SCOPES } from '@portcullis/users';

import { PORTCULLIS_CLIENT_METADATA } from '../clients/client-metadata.js';
import { providerPages } from '../interactions/pages/provider-pages.js';
import { ID_TOKEN_TTL_SECONDS, longestSignedTokenSeconds, SIGNING_ALGORITHM } from '../keys/keys.service.js';
import { FIRST_PARTY_CLIENT_ID, INTERACTION_PATH_PREFIX, OAUTH_ROUTES } from './oauth-routes.js';
import { OIDC_SCOPES, SCOPE_CLAIMS } from './oidc-claims.js';

export interface ProviderConfigurationInputs {
  adapter: AdapterFactory | (new (model: string) => Adapter);
  /** Signing keys (node:crypto ExternalSigningKeys), the active one first. */
  jwks: ExternalSigningKey[];
  cookieKeys: string[];
  apiAudience: string;
  accessTokenTtl: number;
  sessionTtl: number;
  findAccount: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
  /** Every scope clients may ask for (the built-in ones and custom ones from oauth_scopes). */
  scopes?: string[];
  /** The grant an authorization request may reuse: remembered consent, first-party clients. */
  loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<Grant | undefined>;
  /** Whether the browser session behind the provider session has ended (sign in again). */
  browserSessionEnded?: (ctx: KoaContextWithOIDC) => boolean;
  /** Outgoing requests (back-channel logout) to loopback and private addresses; never in production. */
  allowPrivateNetworkRequests?: boolean;
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

const CLIENT_AUTH_SIGNING_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'];

/**
 * A per-client lifetime from our client metadata, else the default; never above `max`. Our
 * extraClientMetadata properties sit on the Client under their own names; Client#metadata()
 * would rebuild the whole snake_case document on every token (twice per token request).
 */
function clientTtl(
  client: object | undefined,
  name: (typeof PORTCULLIS_CLIENT_METADATA)[number],
  fallback: number,
  max = Number.POSITIVE_INFINITY,
): number {
  const value = (client as Record<string, unknown> | undefined)?.[name];
  return Math.min(typeof value === 'number' && value > 0 ? value : fallback, max);
}

/**
 * oidc-provider's configuration. Code flow only (PKCE S256 for every client), PAR, device
 * flow, client credentials, refresh-token rotation, introspection and revocation limited to
 * the caller's own tokens, RP-initiated and back-channel logout. Our API is the resource
 * `<issuer>/api` and gets ES256 JWT access tokens; without a resource indicator an OpenID
 * request gets an opaque token for userinfo (RFC 8707 as oidc-provider applies it).
 */
export function providerConfiguration(inputs: ProviderConfigurationInputs): Configuration {
  const scopes = [...new Set([...OIDC_SCOPES, ...ADMIN_SCOPES, ...(inputs.scopes ?? [])])];
  const apiScopes = scopes.filter((scope) => scope !== 'offline_access').join(' ');
  const policy = interactionPolicy.base();
  if (inputs.browserSessionEnded) {
    const ended = inputs.browserSessionEnded;
    policy
      .get('login')!
      .checks.add(
        new interactionPolicy.Check(
          'browser_session_ended',
          'the browser session has ended',
          'login_required',
          (ctx) =>
            ended(ctx) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
        ),
      );
  }
  // Signed tokens never outlive the time a retired key stays published (KeysService).
  const maxSigned = longestSignedTokenSeconds(inputs.accessTokenTtl);
  const ownTokenOnly = (
    _ctx: KoaContextWithOIDC,
    client: { clientId: string },
    token: { clientId?: string },
  ) => token.clientId === client.clientId;

  return {
    adapter: inputs.adapter,
    clients: [FIRST_PARTY_CLIENT],
    jwks: { keys: inputs.jwks },
    findAccount: inputs.findAccount,
    claims: { ...SCOPE_CLAIMS } as unknown as Configuration['claims'],
    scopes,
    cookies: { keys: inputs.cookieKeys, long: { signed: true }, short: { signed: true } },
    routes: { ...OAUTH_ROUTES },
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    extraClientMetadata: { properties: [...PORTCULLIS_CLIENT_METADATA] },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: SIGNING_ALGORITHM,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALGORITHM],
      userinfoSigningAlgValues: [SIGNING_ALGORITHM],
      introspectionSigningAlgValues: [SIGNING_ALGORITHM],
      authorizationSigningAlgValues: [SIGNING_ALGORITHM],
      clientAuthSigningAlgValues: CLIENT_AUTH_SIGNING_ALGORITHMS,
      requestObjectSigningAlgValues: CLIENT_AUTH_SIGNING_ALGORITHMS,
    },
    ttl: {
      AccessToken: (_ctx, token, client) =>
        clientTtl(
          client,
          'access_token_ttl',
          token.resourceServer?.accessTokenTTL ?? inputs.accessTokenTtl,
          maxSigned,
        ),
      AuthorizationCode: 60,
      BackchannelAuthenticationRequest: 600,
      ClientCredentials: (_ctx, token, client) =>
        clientTtl(
          client,
          'access_token_ttl',
          token.resourceServer?.accessTokenTTL ?? inputs.accessTokenTtl,
          maxSigned,
        ),
      DeviceCode: 600,
      Grant: inputs.sessionTtl,
      IdToken: (_ctx, _token, client) =>
        clientTtl(client, 'id_token_ttl', ID_TOKEN_TTL_SECONDS, ID_TOKEN_TTL_SECONDS),
      Interaction: 3600,
      RefreshToken: (_ctx, _token, client) => clientTtl(client, 'refresh_token_ttl', inputs.sessionTtl),
      Session: inputs.sessionTtl,
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ...(inputs.loadExistingGrant ? { loadExistingGrant: inputs.loadExistingGrant } : {}),
    features: {
      devInteractions: { enabled: false },
      // Our keys sign through node:crypto (NodeCryptoSigningKey). Experimental in oidc-provider:
      // an upgrade that changes it refuses to start on this ack rather than change silently.
      externalSigningSupport: { enabled: true, ack: 'experimental-01' },
      introspection: { enabled: true, allowedPolicy: ownTokenOnly },
      revocation: { enabled: true, allowedPolicy: ownTokenOnly },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: providerPages.logoutSource,
        postLogoutSuccessSource: providerPages.postLogoutSuccessSource,
      },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: providerPages.userCodeInputSource,
        userCodeConfirmSource: providerPages.userCodeConfirmSource,
        successSource: providerPages.successSource,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? inputs.apiAudience,
        useGrantedResource: () => false,
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
    // OAuth tokens carry the provider's `sid`, which is our sessions row too. oidc-provider
    // would otherwise replace `extra` with this hook's result.
    extraTokenClaims: (_ctx, token) => {
      const { extra, sid } = token as { extra?: Record<string, unknown>; sid?: string };
      return sid ? { ...extra, sid } : extra;
    },
    renderError: providerPages.renderError as Configuration['renderError'],
    interactions: { policy, url: (_ctx, interaction) => `${INTERACTION_PATH_PREFIX}/${interaction.uid}` },
    ...(inputs.allowPrivateNetworkRequests
      ? {
          // oidc-provider adds a dispatcher refusing special-use addresses; outside production
          // (tests post logout tokens to 127.0.0.1) it is dropped.
          fetch: (url: URL | string, options: RequestInit & { dispatcher?: unknown }) => {
            const { dispatcher: _refusesPrivateAddresses, ...rest } = options;
            return globalThis.fetch(url, rest);
          },
        }
      : {}),
  } as Configuration;
}
