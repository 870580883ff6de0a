import { describe, expect, it } from 'vitest';

import { clientMetadataErrors } from './client-rules.js';
import type { ClientEntity } from './client.entity.js';

function client(overrides: Partial<ClientEntity> = {}): ClientEntity {
  return {
    clientId: 'my-app',
    name: 'My app',
    type: 'confidential',
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code'],
    scopes: ['openid'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    jwks: null,
    skipConsent: false,
    isActive: true,
    accessTokenTtl: null,
    refreshTokenTtl: null,
    idTokenTtl: null,
    backchannelLogoutUri: null,
    clientSecretDigest: null,
    tokensRevokedAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

describe(clientMetadataErrors.name, () => {
  it('should accept a well-formed confidential client', () => {
    expect(clientMetadataErrors(client())).toEqual([]);
  });

  it('should require "none" for public clients and a secret method for confidential ones', () => {
    expect(clientMetadataErrors(client({ type: 'public' }))[0].field).toBe('token_endpoint_auth_method');
    expect(clientMetadataErrors(client({ tokenEndpointAuthMethod: 'none' }))[0].field).toBe(
      'token_endpoint_auth_method',
    );
  });

  it('should refuse the password and implicit grants and client_credentials for public clients', () => {
    expect(clientMetadataErrors(client({ grantTypes: ['password'] }))[0].code).toBe('unsupported');
    expect(clientMetadataErrors(client({ grantTypes: ['implicit'] }))[0].code).toBe('unsupported');
    const publicClient = client({
      type: 'public',
      tokenEndpointAuthMethod: 'none',
      grantTypes: ['client_credentials'],
    });
    expect(clientMetadataErrors(publicClient)[0].code).toBe('public_client');
  });

  it('should refuse redirect URIs with fragments and the code flow without one', () => {
    expect(clientMetadataErrors(client({ redirectUris: ['https://app.example/cb#x'] }))[0].field).toBe(
      'redirect_uris',
    );
    expect(clientMetadataErrors(client({ redirectUris: [] }))[0].code).toBe('required');
  });

  it('should want keys for private_key_jwt and sane lifetimes', () => {
    expect(clientMetadataErrors(client({ tokenEndpointAuthMethod: 'private_key_jwt' }))[0].field).toBe(
      'jwks',
    );
    expect(clientMetadataErrors(client({ accessTokenTtl: 0 }))[0].field).toBe('access_token_ttl');
  });
});
