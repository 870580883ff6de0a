import { createHash, randomBytes } from 'node:crypto';

import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@portcullis/core';

import { BcryptWorkerPool, type BcryptPoolStats } from './bcrypt-worker-pool.js';

const BCRYPT_COST_PATTERN = /^\$2[abxy]?\$(\d{2})\$/;

/**
 * bcrypt reads at most 72 bytes and stops at a NUL byte, so a long password would be cut
 * silently (a multibyte one after as few as 18 characters) and its tail would not matter.
 * Every password is therefore reduced first to base64(SHA-256(NFC(password))): 44 ASCII
 * characters, no NUL, every character of the password counted. NFC makes the same password
 * typed as composed or decomposed accents hash alike. Hash and verify both do this.
 */
function prehash(password: string): string {
  return createHash('sha256').update(password.normalize('NFC'), 'utf8').digest('base64');
}

/**
 * Hashes and verifies passwords with bcrypt at BCRYPT_COST on a private pool of
 * PASSWORD_HASH_THREADS worker threads, off the event loop and off libuv's shared pool.
 */
@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly cost: number;
  private readonly pool: BcryptWorkerPool;
  private dummyHash?: Promise<string>;

  constructor(config: AppConfig) {
    this.cost = config.get('BCRYPT_COST');
    this.pool = new BcryptWorkerPool(config.get('PASSWORD_HASH_THREADS'));
  }

  hash(password: string): Promise<string> {
    return this.pool.hash(prehash(password), this.cost);
  }

  /** False for a wrong password and for a malformed hash alike. */
  verify(password: string, hash: string): Promise<boolean> {
    return this.pool.compare(prehash(password), hash);
  }

  /** True when the hash was made at another cost than BCRYPT_COST (or is not bcrypt at all). */
  needsRehash(hash: string): boolean {
    const match = BCRYPT_COST_PATTERN.exec(hash);
    return match === null || Number(match[1]) !== this.cost;
  }

  /**
   * Spends what a real verification spends, against a hash of a random secret at the
   * configured cost, and is always false. Used for unknown users so that the answer's timing
   * does not tell whether a user exists.
   */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(password, await this.dummy());
    return false;
  }

  get poolStats(): BcryptPoolStats {
    return this.pool.stats;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url')).catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
