import { randomBytes } from 'node:crypto';

import type { PasswordContext, PasswordPolicy } from './password-policy.js';

const GENERATED_PASSWORD_LENGTH = 24; // base64url: 144 bits

/**
 * A random one-time password the policy accepts (with PASSWORD_REQUIRE_CLASSES a draw may
 * lack a class, so it draws again). Undefined only if no draw passed, which a sane policy
 * never causes.
 */
export function generatePassword(policy: PasswordPolicy, context: PasswordContext): string | undefined {
  const length = Math.max(GENERATED_PASSWORD_LENGTH, policy.rules.minLength);
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const candidate = randomBytes(Math.ceil((length * 3) / 4))
      .toString('base64url')
      .slice(0, length);
    if (policy.check(candidate, context).length === 0) return candidate;
  }
  return undefined;
}
