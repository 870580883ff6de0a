import { describe, expect, it } from 'vitest';

import { applyScopes } from './grant-scopes.js';

class FakeGrant {
  granted: string[] = [];
  rejected: string[] = [];
  addOIDCScope(scope: string) {
    this.granted.push(...scope.split(' '));
  }
  rejectOIDCScope(scope: string) {
    this.rejected.push(...scope.split(' '));
  }
  addResourceScope(resource: string, scope: string) {
    this.granted.push(...scope.split(' ').map((name) => `${resource}#${name}`));
  }
  rejectResourceScope(resource: string, scope: string) {
    this.rejected.push(...scope.split(' ').map((name) => `${resource}#${name}`));
  }
}

describe(applyScopes.name, () => {
  const requested = {
    oidc: ['openid', 'email', 'admin:users:read'],
    resources: { api: ['email', 'admin:users:read'] },
  };

  it('should reject admin scopes the user does not hold and grant what was consented', () => {
    const sut = new FakeGrant();
    const granted = applyScopes(sut as never, requested, () => true, new Set());
    expect(granted.sort()).toEqual(['email', 'openid']);
    expect(sut.rejected).toEqual(['admin:users:read', 'api#admin:users:read']);
  });

  it('should grant admin scopes to a user whose roles hold them', () => {
    const sut = new FakeGrant();
    expect(applyScopes(sut as never, requested, () => true, new Set(['admin:users:read']))).toContain(
      'admin:users:read',
    );
    expect(sut.rejected).toEqual([]);
  });

  it('should leave scopes without consent neither granted nor rejected, so consent is asked', () => {
    const sut = new FakeGrant();
    applyScopes(sut as never, requested, (scope) => scope === 'openid', new Set());
    expect(sut.granted).toEqual(['openid']);
    expect(sut.rejected).toEqual(['admin:users:read', 'api#admin:users:read']);
  });
});
