import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { AccessTokenClaims } from './access-token.verifier.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const { publicKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const claims: AccessTokenClaims = {
  kind: 'user',
  sub: 'u',
  sid: 's',
  clientId: 'c',
  scopes: ['openid'],
  jti: 'j',
  exp: 100,
};
const notExpired = () => false;
const kid = 'key-1';
const loaded = (key: KeyObject | undefined) => (wanted: string) => (wanted === kid ? key : undefined);
const verified = (claimsOf: AccessTokenClaims = claims) => ({
  claims: claimsOf,
  kid,
  key: publicKey,
  recordId: 'digest',
});

describe(VerifiedTokenCache.name, () => {
  it('should answer the remembered claims while the same key is loaded and the token has not expired', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', verified());
    expect(sut.get('token', loaded(publicKey), notExpired)?.claims).toEqual(claims);
    expect(sut.recordIdOf('token')).toBe('digest');
  });

  it('should miss and forget the token when it has expired', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', verified());
    expect(sut.get('token', loaded(publicKey), (exp) => exp <= 100)).toBeUndefined();
    expect(sut.size).toBe(0);
  });

  it('should miss when the key that verified it is no longer the loaded one', () => {
    const sut = new VerifiedTokenCache();
    sut.set('token', verified());
    expect(sut.get('token', loaded(otherKey), notExpired)).toBeUndefined();
    sut.set('token', verified());
    expect(sut.get('token', loaded(undefined), notExpired)).toBeUndefined();
  });

  it('should hand out frozen claims, so a caller cannot change what later requests see', () => {
    const sut = new VerifiedTokenCache();
    const given = { ...claims, scopes: ['openid'] };
    sut.set('token', verified(given));
    given.scopes.push('admin:users:write');
    const remembered = sut.get('token', loaded(publicKey), notExpired)?.claims;
    expect(remembered?.scopes).toEqual(['openid']);
    expect(() => (remembered?.scopes as string[]).push('admin:users:write')).toThrow(TypeError);
  });

  it('should stay bounded, dropping the oldest token first', () => {
    const sut = new VerifiedTokenCache();
    for (let i = 0; i <= 10_000; i++) sut.set(`token-${i}`, verified());
    expect(sut.size).toBe(10_000);
    expect(sut.get('token-0', loaded(publicKey), notExpired)).toBeUndefined();
    expect(sut.get('token-10000', loaded(publicKey), notExpired)).toBeDefined();
  });
});
