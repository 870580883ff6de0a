import type { KeyObject } from 'node:crypto';

import type { AccessTokenClaims } from './access-token.verifier.js';

/** Enough for every token in use on a busy node; each entry is about a kilobyte. */
const MAX_ENTRIES = 10_000;

interface Entry {
  claims: AccessTokenClaims;
  /** The key object that verified the signature: a reloaded or removed key is a miss. */
  key: KeyObject;
}

/**
 * Remembers access tokens whose signature and claims were already verified, so an ECDSA
 * verification (the largest single cost of an authenticated request) is done once per token
 * and node rather than on every request. Only what is fixed by the token itself is cached:
 * expiry is checked again on every hit, and the session check is never cached. Bounded:
 * beyond MAX_ENTRIES the oldest entry goes.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  /** The claims of a token verified earlier by `key`, while it has not expired. */
  get(
    token: string,
    key: KeyObject | undefined,
    isExpired: (exp: number) => boolean,
  ): AccessTokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.key !== key || isExpired(entry.claims.exp)) {
      this.entries.delete(token);
      return undefined;
    }
    return { ...entry.claims, scopes: [...entry.claims.scopes] };
  }

  set(token: string, key: KeyObject, claims: AccessTokenClaims): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims: { ...claims, scopes: [...claims.scopes] }, key });
  }

  get size(): number {
    return this.entries.size;
  }
}
