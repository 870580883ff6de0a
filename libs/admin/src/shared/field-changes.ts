import { isDeepStrictEqual } from 'node:util';

/** One changed field for an audit event: old and new value (never a secret). */
export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

/**
 * The fields whose value differs between `before` and `after`, keyed by the API's name for
 * them: `fields` maps API names to the objects' property names.
 */
export function fieldChanges<T extends object>(
  before: T,
  after: T,
  fields: Record<string, keyof T>,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const [name, property] of Object.entries(fields)) {
    const old = before[property] ?? null;
    const now = after[property] ?? null;
    if (!isDeepStrictEqual(old, now)) changes[name] = { old, new: now };
  }
  return changes;
}
