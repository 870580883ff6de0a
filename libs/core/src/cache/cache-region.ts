/**
 * A family of cached values that are invalidated together, with how long an entry may live.
 * Invalidating a region makes every entry in it unreachable on every node that shares the
 * store, without scanning keys: each entry's key carries the region's current generation.
 */
export interface CacheRegion {
  readonly name: string;
  readonly ttlMs: number;
}

export function defineCacheRegion(name: string, ttlSeconds: number): CacheRegion {
  if (!/^[a-z][a-z0-9.-]*$/.test(name)) throw new Error(`Invalid cache region name: ${name}`);
  return Object.freeze({ name, ttlMs: ttlSeconds * 1000 });
}
