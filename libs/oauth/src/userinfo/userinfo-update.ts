import type { FieldError } from '@portcullis/core';
import type { AddressClaim, UserProfilePatch } from '@portcullis/users';

import { SCOPE_CLAIMS } from '../provider/oidc-claims.js';

/** The standard claims a user may change through PUT userinfo, by the scope that covers them. */
export const EDITABLE_CLAIMS_BY_SCOPE: Record<string, readonly string[]> = {
  // Every profile claim but updated_at, which the server keeps.
  profile: SCOPE_CLAIMS.profile.filter((claim) => claim !== 'updated_at'),
  // A user may change its number, never vouch for it.
  phone: ['phone_number'],
  address: ['address'],
};

const FIELD_OF: Record<string, keyof UserProfilePatch> = {
  name: 'name',
  given_name: 'givenName',
  family_name: 'familyName',
  middle_name: 'middleName',
  nickname: 'nickname',
  preferred_username: 'preferredUsername',
  profile: 'profile',
  picture: 'picture',
  website: 'website',
  gender: 'gender',
  birthdate: 'birthdate',
  zoneinfo: 'zoneinfo',
  locale: 'locale',
  phone_number: 'phoneNumber',
  address: 'address',
};

const ADDRESS_PARTS: Record<keyof AddressClaim, number> = {
  formatted: 1024,
  street_address: 512,
  locality: 256,
  region: 256,
  postal_code: 64,
  country: 256,
};

export type UserinfoUpdate =
  { patch: UserProfilePatch } | { notGranted: string[] } | { errors: FieldError[] };

/**
 * Reads a PUT userinfo body: only claims the granted scopes cover (anything else is
 * `notGranted`), each a valid value or null to clear it.
 */
export function parseUserinfoUpdate(body: unknown, scopes: ReadonlySet<string>): UserinfoUpdate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { errors: [{ field: '', code: 'not_an_object', message: 'Send a JSON object of claims.' }] };
  }
  const editable = new Set(
    Object.entries(EDITABLE_CLAIMS_BY_SCOPE).flatMap(([scope, claims]) => (scopes.has(scope) ? claims : [])),
  );
  const entries = Object.entries(body as Record<string, unknown>);
  const notGranted = entries.map(([claim]) => claim).filter((claim) => !editable.has(claim));
  if (notGranted.length > 0) return { notGranted };
  const errors: FieldError[] = [];
  const patch: Record<string, unknown> = {};
  for (const [claim, value] of entries) {
    const problem = value === null ? undefined : claimError(claim, value);
    if (problem) errors.push({ field: claim, code: 'invalid', message: problem });
    else patch[FIELD_OF[claim]] = value;
  }
  return errors.length > 0 ? { errors } : { patch: patch as UserProfilePatch };
}

function claimError(claim: string, value: unknown): string | undefined {
  if (claim === 'address') return addressError(value);
  if (typeof value !== 'string') return 'Use a string, or null to clear it.';
  switch (claim) {
    case 'profile':
    case 'picture':
    case 'website':
      return isHttpUrl(value) && value.length <= 2048 ? undefined : 'Use an http(s) URL.';
    case 'birthdate':
      return /^\d{4}(-\d{2}-\d{2})?$/.test(value) ? undefined : 'Use YYYY-MM-DD or YYYY.';
    case 'zoneinfo':
      return isTimeZone(value) ? undefined : 'Use an IANA time zone such as Europe/Paris.';
    case 'locale':
      return /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test(value)
        ? undefined
        : 'Use a BCP 47 language tag such as en-US.';
    case 'phone_number':
      return /^\+?[0-9][0-9 ().-]{2,31}$/.test(value) ? undefined : 'Use a phone number such as +1 555 0100.';
    default:
      return value.length <= 256 ? undefined : 'Use at most 256 characters.';
  }
}

function addressError(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'Use an address object, or null.';
  for (const [part, text] of Object.entries(value)) {
    const max = ADDRESS_PARTS[part as keyof AddressClaim];
    if (max === undefined) return `Unknown address part ${part}.`;
    if (typeof text !== 'string' || text.length > max)
      return `${part} must be a string of at most ${max} characters.`;
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
