/**
 * Where the provider's endpoints live. Discovery and the JWKS sit at the issuer's
 * well-known paths; everything else under our API prefix. Discovery lists them all.
 */
export const OAUTH_ROUTES = {
  authorization: '/api/v1/oauth/authorize',
  token: '/api/v1/oauth/token',
  introspection: '/api/v1/oauth/introspect',
  revocation: '/api/v1/oauth/revoke',
  pushed_authorization_request: '/api/v1/oauth/par',
  device_authorization: '/api/v1/oauth/device/auth',
  code_verification: '/api/v1/oauth/device',
  end_session: '/api/v1/oidc/logout',
  userinfo: '/api/v1/oidc/userinfo',
  jwks: '/.well-known/jwks.json',
} as const;

export const DISCOVERY_PATH = '/.well-known/openid-configuration';
/** RFC 8414 authorization server metadata: the same document as OpenID discovery. */
export const OAUTH_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const INTERACTION_PATH_PREFIX = '/api/v1/oauth/interaction';

/** The built-in client behind first-party logins (POST /api/v1/auth/login). */
export const FIRST_PARTY_CLIENT_ID = 'portcullis';

/** Paths the provider answers; any other request never reaches it. */
export function providerPaths(): Set<string> {
  return new Set<string>([
    DISCOVERY_PATH,
    OAUTH_METADATA_PATH,
    ...Object.values(OAUTH_ROUTES),
    // The provider's own sub-routes: resuming after an interaction, logout confirmation.
    `${OAUTH_ROUTES.end_session}/confirm`,
    `${OAUTH_ROUTES.end_session}/success`,
  ]);
}

/** Provider routes with a trailing `/:uid`: resuming an authorization or a device flow. */
export const PROVIDER_RESUME_PREFIXES = [
  `${OAUTH_ROUTES.authorization}/`,
  `${OAUTH_ROUTES.code_verification}/`,
];
