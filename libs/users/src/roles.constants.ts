/** The scopes that guard the admin API; the built-in `admin` role holds all of them. */
export const ADMIN_SCOPES = [
  'admin:users:read',
  'admin:users:write',
  'admin:clients:read',
  'admin:clients:write',
  'admin:scopes:read',
  'admin:scopes:write',
  'admin:sessions:read',
  'admin:sessions:write',
  'admin:audit:read',
  'admin:system:read',
  'admin:system:write',
] as const;

export type AdminScope = (typeof ADMIN_SCOPES)[number];

export const ADMIN_ROLE = 'admin';
export const USER_ROLE = 'user';
