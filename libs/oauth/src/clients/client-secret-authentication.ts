import { timingSafeEqual } from 'node:crypto';

import type Provider from 'oidc-provider';

import { clientSecretDigest } from './client-secret.js';

/**
 * oidc-provider authenticates client_secret_basic/_post clients by comparing the presented
 * secret with the client's `client_secret` metadata (Client#compareClientSecret, called from
 * lib/shared/client_auth.js). We keep only the secret's SHA-256 digest, hand that to the
 * provider as `client_secret`, and replace the comparison on this provider's Client class
 * with one between digests, in constant time. Nothing else may use the "secret" as a key:
 * client_secret_jwt and HS* / symmetric encryption algorithms are not enabled.
 */
export function compareClientSecretsByDigest(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as {
    clientSecret?: string;
    compareClientSecret(actual: string): boolean;
  };
  prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual) {
    if (!this.clientSecret || typeof actual !== 'string') return false;
    const expected = Buffer.from(this.clientSecret);
    const presented = Buffer.from(clientSecretDigest(actual));
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  };
}
