import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * How many of the most common passwords are refused. ASVS 2.1.7 suggests checking against
 * the top 1,000 or 10,000 that match the policy; a ranked list is cut by rank, not length.
 */
export const COMMON_PASSWORD_COUNT = 10_000;

let common: ReadonlySet<string> | undefined;

/** True when the password is one of the most common ones (zxcvbn-ts's ranked list), ignoring case. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT).map((entry) => entry.toLowerCase()),
  );
  return common.has(password.normalize('NFC').toLowerCase());
}
