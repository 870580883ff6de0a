import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import type { AppConfig } from '@portcullis/core';

const VERSION = 'v1';

/**
 * AES-256-GCM under KEY_ENCRYPTION_KEY for secrets we must be able to read back (private
 * signing keys). The record's id is bound in as associated data, so a ciphertext copied
 * onto another row does not decrypt.
 */
export class KeyEncryption {
  constructor(private readonly key: Buffer) {}

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string, associatedData: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined)
      throw new Error('Unrecognised ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** A key for another purpose (e.g. cookie signing), derived so operators manage one secret. */
  derive(purpose: string, length = 32): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `portcullis:${purpose}`, length));
  }
}

/**
 * KEY_ENCRYPTION_KEY, or outside production a key generated once into DATA_DIR (with a
 * warning: losing that file makes the stored signing keys unreadable).
 */
export async function resolveKeyEncryptionKey(config: AppConfig): Promise<Buffer> {
  const configured = config.get('KEY_ENCRYPTION_KEY');
  if (configured) return configured;
  const file = join(config.get('DATA_DIR'), 'key-encryption-key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return Buffer.from(existing.trim(), 'base64');
  const key = randomBytes(32);
  await mkdir(config.get('DATA_DIR'), { recursive: true });
  await writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
  await chmod(file, 0o600).catch(() => undefined);
  const stored = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  new Logger('KeyEncryption').warn(
    `KEY_ENCRYPTION_KEY is not set: generated one into ${file}. Set it explicitly in production.`,
  );
  return stored;
}
