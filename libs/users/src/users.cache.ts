import { type CacheRegion, defineCacheRegion } from '@portcullis/core';

/** Any user's row or role links changed: lists and counts over users are stale. */
export const USERS_REGION = defineCacheRegion('users');
/** A role's name, description or scopes changed. */
export const ROLES_REGION = defineCacheRegion('roles');
/** A failed login was counted, or a lock set or lifted. */
export const LOCKOUTS_REGION = defineCacheRegion('lockouts');

/** One user's own data (row, roles, sessions): what its details are computed from. */
export function userRegion(userId: string): CacheRegion {
  return defineCacheRegion(`user:${userId.toLowerCase()}`);
}

/** The regions a change to one user touches. */
export function userChanged(userId: string): CacheRegion[] {
  return [USERS_REGION, userRegion(userId)];
}
