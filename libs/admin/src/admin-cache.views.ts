import { AUDIT_REGION } from '@portcullis/audit';
import { defineCachedView } from '@portcullis/core';
import { CLIENTS_REGION } from '@portcullis/oauth';
import { SESSIONS_REGION } from '@portcullis/sessions';
import { LOCKOUTS_REGION, ROLES_REGION, USERS_REGION } from '@portcullis/users';

/**
 * What the admin API caches, for how long, and the data each answer is computed from: a
 * write to any of those regions invalidates the answer at once, on every node.
 */
export const USER_LIST_VIEW = defineCachedView('admin.users.list', 30, [
  USERS_REGION,
  ROLES_REGION,
  LOCKOUTS_REGION,
  SESSIONS_REGION,
]);

/** One user's details; each entry also depends on that user's own region. */
export const USER_DETAIL_VIEW = defineCachedView('admin.users.detail', 60, [ROLES_REGION, LOCKOUTS_REGION]);

export const DASHBOARD_VIEW = defineCachedView('admin.dashboard', 60, [
  USERS_REGION,
  ROLES_REGION,
  LOCKOUTS_REGION,
  SESSIONS_REGION,
  AUDIT_REGION,
  CLIENTS_REGION,
]);
