import { createHash } from 'node:crypto';

/** The form a submitted username or e-mail is compared in: trimmed, NFC, lower-cased. */
export function normalizeIdentifier(identifier: string): string {
  return identifier.trim().normalize('NFC').toLowerCase();
}

/** The login_throttles key: a SHA-256 digest, so the table names no one. */
export function identifierKey(identifier: string): Buffer {
  return createHash('sha256').update(normalizeIdentifier(identifier), 'utf8').digest();
}
