import type { KeyObject } from 'node:crypto';

import type { AccessTokenClaims } from './access-token.verifier.js';

/** Enough for every token in use on a busy node; each entry is about a kilobyte. */
const MAX_ENTRIES = 10_000;

/** A token verified earlier: what it says, and what verified it. */
export interface VerifiedToken {
  /** Frozen: handed to every request that presents the token. */
  claims: Readonly<AccessTokenClaims>;
  /** The signing key's id, from the token's header. */
  kid: string;
  /** The key object that verified the signature: a reloaded or removed key is a miss. */
  key: KeyObject;
  /** The id the token's record is stored under (a SHA-256 of the token), worked out once. */
  recordId: string;
}

/**
 * Remembers access tokens whose signature and claims were already verified, so an ECDSA
 * verification (the largest single cost of an authenticated request) and the digest naming
 * the token's record are worked out once per token and node rather than on every request.
 * Only what is fixed by the token itself is cached: the key and expiry are checked on every
 * hit, and the session check is never cached. Bounded: beyond MAX_ENTRIES the oldest
 * entry goes.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  /**
   * The token verified earlier, while `currentKey(kid)` is still the key that verified it and
   * it has not expired; otherwise it is forgotten.
   */
  get(
    token: string,
    currentKey: (kid: string) => KeyObject | undefined,
    isExpired: (exp: number) => boolean,
  ): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.key !== currentKey(entry.kid) || isExpired(entry.claims.exp)) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  /** The record id of a token verified earlier, whatever its state now. */
  recordIdOf(token: string): string | undefined {
    return this.entries.get(token)?.recordId;
  }

  set(token: string, entry: Omit<VerifiedToken, 'claims'> & { claims: AccessTokenClaims }): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const claims = Object.freeze({ ...entry.claims, scopes: Object.freeze([...entry.claims.scopes]) });
    this.entries.set(token, { ...entry, claims: claims as Readonly<AccessTokenClaims> });
  }

  get size(): number {
    return this.entries.size;
  }
}
