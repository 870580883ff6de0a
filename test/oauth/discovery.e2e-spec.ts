import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('discovery', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('should publish the OpenID configuration with our endpoints and only what is supported', async () => {
    const response = await sut.http.get('/.well-known/openid-configuration').expect(200);
    const issuer = sut.config.issuer;
    expect(response.body).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/api/v1/oauth/authorize`,
      token_endpoint: `${issuer}/api/v1/oauth/token`,
      introspection_endpoint: `${issuer}/api/v1/oauth/introspect`,
      revocation_endpoint: `${issuer}/api/v1/oauth/revoke`,
      pushed_authorization_request_endpoint: `${issuer}/api/v1/oauth/par`,
      device_authorization_endpoint: `${issuer}/api/v1/oauth/device/auth`,
      end_session_endpoint: `${issuer}/api/v1/oidc/logout`,
      userinfo_endpoint: `${issuer}/api/v1/oidc/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
      authorization_response_iss_parameter_supported: true,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
    expect(response.body.grant_types_supported.sort()).toEqual(
      [
        'authorization_code',
        'client_credentials',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
      ].sort(),
    );
    expect(response.body.token_endpoint_auth_methods_supported.sort()).toEqual(
      ['client_secret_basic', 'client_secret_post', 'none', 'private_key_jwt'].sort(),
    );
    expect(response.body.scopes_supported).toEqual(
      expect.arrayContaining([
        'openid',
        'profile',
        'email',
        'address',
        'phone',
        'offline_access',
        'admin:users:read',
      ]),
    );
    expect(response.body.grant_types_supported).not.toContain('password');
    expect(response.body.grant_types_supported).not.toContain('implicit');
  });

  it('should publish the same metadata at the RFC 8414 path', async () => {
    const openid = await sut.http.get('/.well-known/openid-configuration').expect(200);
    const oauth = await sut.http.get('/.well-known/oauth-authorization-server').expect(200);
    expect(oauth.body.issuer).toBe(sut.config.issuer);
    expect(oauth.body.token_endpoint).toBe(openid.body.token_endpoint);
    expect(oauth.body.grant_types_supported).toEqual(openid.body.grant_types_supported);
  });
});
