import { CoreErrorCode, CoreErrors, type DomainError } from '@portcullis/core';

import { isJsonObject, type JsonObject } from './json-value.js';
import { assertWithinDepth } from './preferences-limits.js';

/** A surrogate not paired with its other half (in a `u` pattern a paired one reads as one character). */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * The request body as a preferences object (a full document or a merge patch). Refuses with
 * VALIDATION_FAILED (400) anything but a JSON object and any value jsonb would refuse or
 * silently change, and with PREFERENCES_TOO_DEEP (413) a body nested too deep. Depth is
 * checked first, so every later walk over the body (here and in the merge) stays shallow.
 */
export function readPreferencesBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) {
    throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The body must be a JSON object.');
  }
  assertWithinDepth(body);
  const pointer = firstUnstorable(body, '');
  if (pointer !== undefined) throw unstorableValue(pointer);
  return body;
}

/** The JSON Pointer (RFC 6901) of the first value jsonb cannot hold as sent, if any. */
function firstUnstorable(value: unknown, pointer: string): string | undefined {
  switch (typeof value) {
    case 'string':
      return isStorableText(value) ? undefined : pointer;
    case 'number':
      // JSON.parse turns 1e999 into Infinity, which JSON.stringify would write as null.
      return Number.isFinite(value) ? undefined : pointer;
    case 'boolean':
      return undefined;
    case 'object': {
      if (value === null) return undefined;
      for (const [name, child] of Object.entries(value)) {
        const childPointer = `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (!isStorableText(name)) return childPointer;
        const found = firstUnstorable(child, childPointer);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    default:
      return pointer;
  }
}

/** U+0000 and unpaired surrogates are valid in a JS string but refused by PostgreSQL's jsonb. */
function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !UNPAIRED_SURROGATE.test(text);
}

function unstorableValue(pointer: string): DomainError {
  const message = 'Strings may not contain U+0000 or unpaired surrogates, and numbers must be finite.';
  return CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, `Invalid value at ${pointer}.`, {
    errors: [{ field: pointer, code: 'unstorable_value', message }],
  });
}
