import { AppConfig, DomainError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';

import { UsersErrorCode } from '../users.errors.js';
import { PasswordPolicy } from './password-policy.js';

function policy(overrides: Partial<AppConfig['values']> = {}): PasswordPolicy {
  return new PasswordPolicy(AppConfig.fromEnvironment({}, overrides));
}

function codes(sut: PasswordPolicy, password: string, context = {}): string[] {
  return sut.check(password, context).map((error) => error.code);
}

describe(PasswordPolicy.name, () => {
  const sut = policy();

  it('should accept a long passphrase of lower-case words when the defaults apply', () => {
    expect(sut.check('correct horse battery staple')).toEqual([]);
  });

  it('should refuse a password as too_short when it has fewer than PASSWORD_MIN_LENGTH characters', () => {
    expect(codes(sut, 'tulip-garden')).toEqual([]);
    expect(codes(sut, 'tulip-garde')).toEqual(['too_short']);
  });

  it('should count code points after NFC when characters are decomposed or outside the BMP', () => {
    // 11 accented letters typed as letter + combining accent: 22 code points, 11 after NFC.
    expect(codes(sut, 'e\u0301'.repeat(11))).toEqual(['too_short']);
    // 12 emoji: 24 UTF-16 units but 12 code points.
    expect(codes(sut, '🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔🐧')).toEqual([]);
    expect(codes(sut, '🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔')).toEqual(['too_short']);
  });

  it('should refuse a password as too_long when it has more than PASSWORD_MAX_LENGTH characters', () => {
    expect(codes(sut, 'ab cd'.repeat(25).slice(0, 128))).toEqual([]);
    expect(codes(sut, 'ab cd'.repeat(26).slice(0, 129))).toEqual(['too_long']);
  });

  it('should accept any script when the password is long enough', () => {
    expect(sut.check('очень длинный пароль')).toEqual([]);
    expect(sut.check('我的密码是一句很长的中文句子')).toEqual([]);
  });

  it('should require upper, lower, digit and symbol when PASSWORD_REQUIRE_CLASSES is on', () => {
    const strict = policy({ PASSWORD_REQUIRE_CLASSES: true });
    expect(codes(strict, 'correcthorsebatterystaple')).toEqual(['missing_character_class']);
    expect(strict.check('correcthorsebatterystaple')[0].message).toBe(
      'Add an upper-case letter, a digit, a symbol.',
    );
    expect(codes(strict, 'Correct-horse-battery-9')).toEqual([]);
  });

  it('should refuse the username, the e-mail or its local part in any case when given as context', () => {
    const context = { username: 'marguerite.d', email: 'Marguerite.Duras1914@example.com' };
    expect(codes(sut, 'MARGUERITE.D', context)).toEqual(['contains_identity']);
    expect(codes(sut, 'marguerite.duras1914@example.com', context)).toEqual(['contains_identity']);
    expect(codes(sut, 'marguerite.DURAS1914', context)).toEqual(['contains_identity']);
    expect(codes(sut, 'marguerite.duras1915', context)).toEqual([]);
  });

  it('should refuse one of the 10,000 most common passwords in any case when it is otherwise long enough', () => {
    expect(codes(sut, '1qaz2wsx3edc')).toEqual(['too_common']);
    expect(codes(sut, '1QAZ2WSX3EDC')).toEqual(['too_common']);
    expect(codes(policy({ PASSWORD_MIN_LENGTH: 8 }), 'Password')).toEqual(['too_common']);
  });

  it('should throw PASSWORD_POLICY_VIOLATION with errors on the given field when the password is refused', () => {
    const thrown = (() => {
      try {
        sut.assertAcceptable('tulip-garde', {}, 'new_password');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      code: UsersErrorCode.PASSWORD_POLICY_VIOLATION,
      status: 400,
      errors: [{ field: 'new_password', code: 'too_short', message: 'Use at least 12 characters.' }],
    });
  });

  it('should not throw when the password is acceptable', () => {
    expect(() => sut.assertAcceptable('correct horse battery staple', { username: 'alice' })).not.toThrow();
  });
});
