import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { AccessTokenClaims } from './access-token.verifier.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const { publicKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const claims: AccessTokenClaims = {
  sub: 'u',
  sid: 's',
  clientId: 'c',
  scopes: ['openid'],
  jti: 'j',
  exp: 100,
};
const notExpired = () => false;

describe(VerifiedTokenCache.name, () => {
  it('should answer the remembered claims while the same key is loaded and the token has not expired', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', publicKey, claims);
    expect(sut.get('token', publicKey, notExpired)).toEqual(claims);
  });

  it('should miss and forget the token when it has expired', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', publicKey, claims);
    expect(sut.get('token', publicKey, (exp) => exp <= 100)).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('should miss when the key that verified it is no longer the loaded one', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', publicKey, claims);
    expect(sut.get('token', otherKey, notExpired)).toBeUndefined();
    expect(sut.get('token', undefined, notExpired)).toBeUndefined();
  });

  it('should hand out copies, so a caller cannot change what later requests see', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', publicKey, claims);
    sut.get('token', publicKey, notExpired)?.scopes.push('admin:users:write');
    expect(sut.get('token', publicKey, notExpired)?.scopes).toEqual(['openid']);
  });

  it('should stay bounded, dropping the oldest token first', () => {
    const sut = new VerifiedTokenCache();
    for (let i = 0; i <= 10_000; i++) sut.set(`token-${i}`, publicKey, claims);
    expect(sut.size).toBe(10_000);
    expect(sut.get('token-0', publicKey, notExpired)).toBeUndefined();
    expect(sut.get('token-10000', publicKey, notExpired)).toBeDefined();
  });
});
