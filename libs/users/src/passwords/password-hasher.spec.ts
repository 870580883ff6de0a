import { AppConfig } from '@portcullis/core';
import { afterAll, describe, expect, it } from 'vitest';

import { PasswordHasher } from './password-hasher.js';

function hasher(cost: number): PasswordHasher {
  return new PasswordHasher(AppConfig.fromEnvironment({}, { BCRYPT_COST: cost, PASSWORD_HASH_THREADS: 2 }));
}

describe(PasswordHasher.name, () => {
  const sut = hasher(4);
  afterAll(() => sut.onModuleDestroy());

  it('should verify a password against its own hash when it is the same password', async () => {
    const hash = await sut.hash('correct horse battery staple');

    expect(hash).toMatch(/^\$2b\$04\$/);
    await expect(sut.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(sut.verify('correct horse battery stapler', hash)).resolves.toBe(false);
  });

  it('should refuse a 100-character password when only its last character differs', async () => {
    const password = 'a'.repeat(99);
    const hash = await sut.hash(`${password}X`);

    await expect(sut.verify(`${password}X`, hash)).resolves.toBe(true);
    await expect(sut.verify(`${password}Y`, hash)).resolves.toBe(false);
  });

  it('should refuse a multibyte password when only its last character differs beyond byte 72', async () => {
    const password = '密码'.repeat(15); // 30 characters, 90 bytes of UTF-8
    const hash = await sut.hash(`${password}甲`);

    await expect(sut.verify(`${password}甲`, hash)).resolves.toBe(true);
    await expect(sut.verify(`${password}乙`, hash)).resolves.toBe(false);
  });

  it('should verify a password when it is typed with decomposed instead of composed accents', async () => {
    const hash = await sut.hash('cr\u00e8me br\u00fbl\u00e9e pour deux');

    await expect(sut.verify('cre\u0300me bru\u0302le\u0301e pour deux', hash)).resolves.toBe(true);
  });

  it('should answer false when the stored hash is malformed', async () => {
    await expect(sut.verify('correct horse battery staple', 'not-a-bcrypt-hash')).resolves.toBe(false);
  });

  it('should need a rehash when the hash was made at another cost than BCRYPT_COST', async () => {
    const hash = await sut.hash('correct horse battery staple');
    const stronger = hasher(5);
    try {
      expect(sut.needsRehash(hash)).toBe(false);
      expect(stronger.needsRehash(hash)).toBe(true);
      expect(sut.needsRehash('not-a-bcrypt-hash')).toBe(true);
    } finally {
      await stronger.onModuleDestroy();
    }
  });

  it('should answer false when verifying against the dummy hash whatever the password', async () => {
    await expect(sut.verifyAgainstDummy('correct horse battery staple')).resolves.toBe(false);
    await expect(sut.verifyAgainstDummy('')).resolves.toBe(false);
  });

  it('should refuse new work when the module has been destroyed', async () => {
    const closed = hasher(4);
    await closed.onModuleDestroy();

    await expect(closed.hash('correct horse battery staple')).rejects.toThrow(/shut down/);
  });
});
