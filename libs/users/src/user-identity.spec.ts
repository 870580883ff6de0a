import { describe, expect, it } from 'vitest';

import { identityErrors, normalizeIdentity } from './user-identity.js';

describe(identityErrors.name, () => {
  const codes = (username: string, email: string): string[] =>
    identityErrors(username, email).map(({ field, code }) => `${field}:${code}`);

  it('should accept a plain username and e-mail when both are well formed', () => {
    expect(codes('ada.lovelace', 'ada@example.com')).toEqual([]);
    expect(codes('Zoë_Ω', 'zoë@bücher.example')).toEqual([]);
  });

  it('should refuse a username with "@" when it could be mistaken for an e-mail', () => {
    expect(codes('ada@example.com', 'ada@example.com')).toEqual(['username:contains_at_sign']);
  });

  it('should refuse a username with spaces or control characters when given one', () => {
    expect(codes('ada lovelace', 'ada@example.com')).toEqual(['username:invalid_character']);
    expect(codes('ada\u0000', 'ada@example.com')).toEqual(['username:invalid_character']);
  });

  it('should refuse empty or over-long values when given them', () => {
    expect(codes('', '')).toEqual(['username:required', 'email:required']);
    expect(codes('a'.repeat(65), `${'a'.repeat(250)}@b.cd`)).toEqual(['username:too_long', 'email:too_long']);
  });

  it('should refuse an e-mail without exactly one "@" between non-empty parts', () => {
    expect(codes('ada', 'ada.example.com')).toEqual(['email:invalid_email']);
    expect(codes('ada', 'ada@')).toEqual(['email:invalid_email']);
    expect(codes('ada', 'a@b@c')).toEqual(['email:invalid_email']);
  });
});

describe(normalizeIdentity.name, () => {
  it('should trim and compose accents but keep the case when normalising', () => {
    expect(normalizeIdentity('  Zoe\u0308 ')).toBe('Zo\u00eb');
  });
});
