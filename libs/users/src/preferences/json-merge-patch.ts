import { isJsonObject, type JsonObject, type JsonValue } from './json-value.js';

/**
 * RFC 7396 JSON Merge Patch: a `null` member deletes, an object merges recursively, any other
 * value (arrays included) replaces. Pure: neither argument is changed. The result is built
 * with Object.fromEntries, so a member named `__proto__` stays an ordinary member.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonObject): JsonObject;
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue;
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const merged = new Map(Object.entries(isJsonObject(target) ? target : {}));
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) merged.delete(name);
    else merged.set(name, applyMergePatch(merged.get(name), value));
  }
  return Object.fromEntries(merged);
}
