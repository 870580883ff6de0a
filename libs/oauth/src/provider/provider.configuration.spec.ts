import { describe, expect, it } from 'vitest';

import { providerConfiguration, type ProviderConfigurationInputs } from './provider.configuration.js';

const inputs: ProviderConfigurationInputs = {
  adapter: () => ({}) as never,
  jwks: [],
  cookieKeys: ['k'],
  apiAudience: 'https://id.example/api',
  accessTokenTtl: 900,
  sessionTtl: 86_400,
  findAccount: () => Promise.resolve(undefined),
};

describe(providerConfiguration.name, () => {
  it('should keep oidc-provider refusing requests to private addresses unless told otherwise', () => {
    expect(providerConfiguration(inputs).fetch).toBeUndefined();
    expect(providerConfiguration({ ...inputs, allowPrivateNetworkRequests: true }).fetch).toEqual(
      expect.any(Function),
    );
  });

  it('should offer the code flow only, PKCE for every client, and no password or implicit grant', () => {
    const configuration = providerConfiguration(inputs);
    expect(configuration.responseTypes).toEqual(['code']);
    expect((configuration.pkce?.required as () => boolean)()).toBe(true);
    expect(configuration.features?.pushedAuthorizationRequests?.enabled).toBe(true);
    expect(configuration.features?.deviceFlow?.enabled).toBe(true);
  });

  it('should list custom scopes beside the built-in ones', () => {
    expect(providerConfiguration({ ...inputs, scopes: ['calendar:read'] }).scopes).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'admin:users:read', 'calendar:read']),
    );
  });
});
