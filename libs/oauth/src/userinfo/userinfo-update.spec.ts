import { describe, expect, it } from 'vitest';

import { parseUserinfoUpdate } from './userinfo-update.js';

describe(parseUserinfoUpdate.name, () => {
  const profile = new Set(['openid', 'profile']);

  it('should map the covered claims to profile fields, null clearing', () => {
    expect(parseUserinfoUpdate({ given_name: 'Ada', locale: null }, profile)).toEqual({
      patch: { givenName: 'Ada', locale: null },
    });
  });

  it('should name the claims the scopes do not cover', () => {
    expect(parseUserinfoUpdate({ phone_number: '+1 555', email: 'a@b' }, profile)).toEqual({
      notGranted: ['phone_number', 'email'],
    });
  });

  it('should refuse malformed values', () => {
    const result = parseUserinfoUpdate(
      { website: 'nope', birthdate: '1st May', zoneinfo: 'Mars/Base' },
      profile,
    );
    expect('errors' in result && result.errors.map((error) => error.field)).toEqual([
      'website',
      'birthdate',
      'zoneinfo',
    ]);
  });

  it('should check address parts', () => {
    const address = new Set(['openid', 'address']);
    expect(parseUserinfoUpdate({ address: { locality: 'Paris' } }, address)).toEqual({
      patch: { address: { locality: 'Paris' } },
    });
    expect('errors' in parseUserinfoUpdate({ address: { planet: 'Mars' } }, address)).toBe(true);
  });
});
