import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

/**
 * The client_credentials baseline: panva's oidc-provider as its README configures it, run as a
 * child process of its own like the API. Its in-memory adapter, one client_credentials client
 * (BASELINE_CLIENT_ID / BASELINE_CLIENT_SECRET), and a resource server (BASELINE_AUDIENCE)
 * that gets ES256 JWT access tokens: the token format Portcullis issues for its API.
 */
const port = Number(process.env.PORT);
const audience = process.env.BASELINE_AUDIENCE ?? 'https://api.baseline.invalid';
const scope = process.env.BASELINE_SCOPE ?? 'api:read';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.BASELINE_CLIENT_ID ?? 'baseline',
      client_secret: process.env.BASELINE_CLIENT_SECRET ?? 'baseline-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope,
      // Its only key is ES256; the RS256 default would reject the client.
      id_token_signed_response_alg: 'ES256',
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'baseline', alg: 'ES256', use: 'sig' }] },
  scopes: scope.split(' '),
  features: {
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => false,
      getResourceServerInfo: () => ({
        scope,
        audience,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

createServer(provider.callback()).listen(port, '127.0.0.1');
