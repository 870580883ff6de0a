import { Injectable } from '@nestjs/common';
import { AppConfig, type DomainError, type FieldError } from '@portcullis/core';

import { UsersErrorCode, UsersErrors } from '../users.errors.js';
import { isCommonPassword } from './common-passwords.js';

/** Who the password belongs to: it must not be their own name or address. */
export interface PasswordContext {
  username?: string | null;
  email?: string | null;
}

export interface PasswordRules {
  minLength: number;
  maxLength: number;
  requireCharacterClasses: boolean;
}

const CHARACTER_CLASSES = [
  { name: 'an upper-case letter', pattern: /\p{Lu}/u },
  { name: 'a lower-case letter', pattern: /\p{Ll}/u },
  { name: 'a digit', pattern: /\p{Nd}/u },
  { name: 'a symbol', pattern: /[\p{P}\p{S}\p{Zs}]/u },
];

/**
 * The password rules of OWASP ASVS 2.1 (and NIST SP 800-63B): length counted in Unicode code
 * points after NFC normalisation, any script, spaces allowed, no composition rules unless
 * PASSWORD_REQUIRE_CLASSES, and no password that is the user's own name or a common one.
 */
@Injectable()
export class PasswordPolicy {
  readonly rules: Readonly<PasswordRules>;

  constructor(config: AppConfig) {
    this.rules = Object.freeze({
      minLength: config.get('PASSWORD_MIN_LENGTH'),
      maxLength: config.get('PASSWORD_MAX_LENGTH'),
      requireCharacterClasses: config.get('PASSWORD_REQUIRE_CLASSES'),
    });
  }

  /** Every rule the password breaks, as field errors on `field`; empty when it is acceptable. */
  check(password: string, context: PasswordContext = {}, field = 'password'): FieldError[] {
    const normalized = password.normalize('NFC');
    const length = [...normalized].length;
    const errors: FieldError[] = [];
    const fail = (code: string, message: string): void => {
      errors.push({ field, code, message });
    };

    if (length < this.rules.minLength) fail('too_short', `Use at least ${this.rules.minLength} characters.`);
    if (length > this.rules.maxLength) fail('too_long', `Use at most ${this.rules.maxLength} characters.`);
    if (this.rules.requireCharacterClasses) {
      const missing = CHARACTER_CLASSES.filter(({ pattern }) => !pattern.test(normalized)).map(
        ({ name }) => name,
      );
      if (missing.length > 0) fail('missing_character_class', `Add ${missing.join(', ')}.`);
    }
    if (isOwnIdentity(normalized, context)) {
      fail('contains_identity', 'Do not use your username or e-mail address as your password.');
    }
    if (isCommonPassword(normalized)) {
      fail('too_common', 'This password is too common; choose one that is harder to guess.');
    }
    return errors;
  }

  /** Throws PASSWORD_POLICY_VIOLATION listing every broken rule as field errors on `field`. */
  assertAcceptable(password: string, context: PasswordContext = {}, field = 'password'): void {
    const errors = this.check(password, context, field);
    if (errors.length > 0) throw passwordPolicyViolation(errors);
  }
}

/** PASSWORD_POLICY_VIOLATION carrying the broken rules as field errors. */
export function passwordPolicyViolation(errors: FieldError[]): DomainError {
  return UsersErrors.create(
    UsersErrorCode.PASSWORD_POLICY_VIOLATION,
    errors.map((error) => error.message).join(' '),
    { errors },
  );
}

function isOwnIdentity(password: string, { username, email }: PasswordContext): boolean {
  const candidate = fold(password);
  const localPart = email?.includes('@') ? email.slice(0, email.lastIndexOf('@')) : undefined;
  const identities = [username, email, localPart]
    .filter((value): value is string => typeof value === 'string')
    .map(fold)
    .filter((value) => value.length > 0);
  return identities.includes(candidate);
}

function fold(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}
