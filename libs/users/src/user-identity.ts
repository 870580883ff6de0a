import type { FieldError } from '@portcullis/core';

export const USERNAME_MAX_LENGTH = 64;
export const EMAIL_MAX_LENGTH = 254;

/** How usernames and e-mails are stored: trimmed and NFC (case is kept; the columns are citext). */
export function normalizeIdentity(value: string): string {
  return value.trim().normalize('NFC');
}

/**
 * What makes a username or an e-mail unusable, as field errors. A username never contains
 * `@` and an e-mail always does, so a sign-in identifier can only ever name one user.
 */
export function identityErrors(username: string, email: string): FieldError[] {
  return [...usernameErrors(username), ...emailErrors(email)];
}

function usernameErrors(username: string): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (code: string, message: string): void => {
    errors.push({ field: 'username', code, message });
  };
  if (username.length === 0) fail('required', 'Choose a username.');
  if ([...username].length > USERNAME_MAX_LENGTH) {
    fail('too_long', `Use at most ${USERNAME_MAX_LENGTH} characters.`);
  }
  if (username.includes('@')) fail('contains_at_sign', 'A username may not contain "@".');
  if (/[\s\p{C}]/u.test(username)) {
    fail('invalid_character', 'A username may not contain spaces or control characters.');
  }
  return errors;
}

function emailErrors(email: string): FieldError[] {
  const fail = (code: string, message: string): FieldError[] => [{ field: 'email', code, message }];
  if (email.length === 0) return fail('required', 'Enter an e-mail address.');
  if (!/^[^\s@]+@[^\s@]+$/u.test(email)) return fail('invalid_email', 'Enter a valid e-mail address.');
  if ([...email].length > EMAIL_MAX_LENGTH) {
    return fail('too_long', `Use at most ${EMAIL_MAX_LENGTH} characters.`);
  }
  return [];
}
