import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';

import { ExternalSigningKey } from 'oidc-provider';

import type { PrivateSigningJwk } from './keys.service.js';

/**
 * One of our ES256 keys as oidc-provider's ExternalSigningKey: it signs with node:crypto and
 * key objects made once, where the provider would import the JWK and sign through jose and
 * WebCrypto for every token (2-4x slower: it is most of the cost of a client_credentials token).
 */
export class NodeCryptoSigningKey extends ExternalSigningKey {
  readonly #kid: string;
  readonly #alg: string;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(jwk: PrivateSigningJwk) {
    super();
    this.#kid = jwk.kid;
    this.#alg = jwk.alg;
    this.#privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    this.#publicKey = createPublicKey(this.#privateKey);
  }

  override get kid(): string {
    return this.#kid;
  }

  override get alg(): string {
    return this.#alg;
  }

  override keyObject(): KeyObject {
    return this.#publicKey;
  }

  /** JWS ES256: the raw r||s signature (IEEE P1363), not DER. */
  override sign(data: Uint8Array): Buffer {
    return sign('sha256', data, { key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
  }
}
