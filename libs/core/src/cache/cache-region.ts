/**
 * A kind of data whose changes invalidate cached entries: `users`, `sessions`, or one user's
 * own rows (`user:<id>`). Invalidating a region makes every entry that depends on it
 * unreachable on every node sharing the store, without scanning keys: each entry's key
 * carries the current generation of every region it depends on.
 */
export interface CacheRegion {
  readonly name: string;
}

/** A cached read: how long an entry may live, and the data it is computed from. */
export interface CachedView {
  readonly name: string;
  readonly ttlMs: number;
  readonly regions: readonly CacheRegion[];
}

const NAME = /^[a-z][a-z0-9.:-]*$/;

export function defineCacheRegion(name: string): CacheRegion {
  if (!NAME.test(name)) throw new Error(`Invalid cache region name: ${name}`);
  return Object.freeze({ name });
}

export function defineCachedView(name: string, ttlSeconds: number, regions: CacheRegion[]): CachedView {
  if (!NAME.test(name)) throw new Error(`Invalid cached view name: ${name}`);
  return Object.freeze({ name, ttlMs: ttlSeconds * 1000, regions: Object.freeze([...regions]) });
}
