import { UsersErrorCode, UsersErrors } from '../users.errors.js';
import type { JsonObject } from './json-value.js';

/** The stored object, serialised as compact UTF-8 JSON, may take at most this many bytes. */
export const PREFERENCES_MAX_BYTES = 16 * 1024;
/** Objects and arrays may nest this many levels; the preferences object itself is level 1. */
export const PREFERENCES_MAX_DEPTH = 8;

/** PREFERENCES_TOO_DEEP (413) when objects and arrays nest deeper than PREFERENCES_MAX_DEPTH. */
export function assertWithinDepth(value: unknown): void {
  if (deeperThan(value, PREFERENCES_MAX_DEPTH)) {
    throw UsersErrors.create(
      UsersErrorCode.PREFERENCES_TOO_DEEP,
      `Objects and arrays may nest at most ${PREFERENCES_MAX_DEPTH} levels deep.`,
    );
  }
}

/** The depth rule, then PREFERENCES_TOO_LARGE (413) when the object serialises to more than PREFERENCES_MAX_BYTES. */
export function assertWithinLimits(preferences: JsonObject): void {
  assertWithinDepth(preferences);
  const bytes = Buffer.byteLength(JSON.stringify(preferences), 'utf8');
  if (bytes > PREFERENCES_MAX_BYTES) {
    throw UsersErrors.create(
      UsersErrorCode.PREFERENCES_TOO_LARGE,
      `The preferences may take at most ${PREFERENCES_MAX_BYTES} bytes of JSON; these would take ${bytes}.`,
    );
  }
}

/**
 * Whether objects or arrays nest more than `levels` deep. It looks no further than one level
 * past the limit, so a hostile body nested thousands deep cannot exhaust the stack.
 */
function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((child) => deeperThan(child, levels - 1));
}
