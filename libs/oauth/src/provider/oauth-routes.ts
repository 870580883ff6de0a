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
export const INTERACTION_PATH_PREFIX = '/api/v1/oauth/interaction';

/** The built-in client behind first-party logins (POST /api/v1/auth/login). */
export const FIRST_PARTY_CLIENT_ID = 'portcullis';

/** Paths the provider answers; any other request never reaches it. */
export function providerPaths(): Set<string> {
  return new Set<string>([DISCOVERY_PATH, ...Object.values(OAUTH_ROUTES)]);
}
