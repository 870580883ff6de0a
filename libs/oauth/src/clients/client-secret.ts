import { randomBytes } from 'node:crypto';

import { digest } from '../provider/postgres.adapter.js';

/** A new client secret: 256 random bits, shown once; only its digest is kept. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored for a secret, and what a presented secret is compared by. */
export function clientSecretDigest(secret: string): string {
  return digest(secret);
}
