import { describe, expect, it } from 'vitest';

import { identifierKey, normalizeIdentifier } from './login-identifier.js';

describe(normalizeIdentifier.name, () => {
  it('should trim, compose and lower-case when normalising an identifier', () => {
    expect(normalizeIdentifier('  ZOE\u0308@Example.COM ')).toBe('zo\u00eb@example.com');
  });
});

describe(identifierKey.name, () => {
  it('should give one key for every spelling of an identifier when they normalise alike', () => {
    expect(identifierKey(' Ada@Example.com')).toEqual(identifierKey('ada@example.com'));
    expect(identifierKey('ada@example.com')).not.toEqual(identifierKey('ada@example.org'));
    expect(identifierKey('ada')).toHaveLength(32);
  });
});
