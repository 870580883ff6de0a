/** Stable dotted names of what admins do through the admin API; dashboards and alerts key on them. */
export const AdminAuditAction = {
  USER_CREATED: 'admin.user.created',
  USER_UPDATED: 'admin.user.updated',
  USER_DELETED: 'admin.user.deleted',
  USER_ROLES_CHANGED: 'admin.user.roles_changed',
  USER_PASSWORD_RESET: 'admin.user.password_reset',
  USER_UNLOCKED: 'admin.user.unlocked',
  USER_SESSIONS_REVOKED: 'admin.user.sessions_revoked',
  USER_SESSION_REVOKED: 'admin.user.session_revoked',
  ROLE_CREATED: 'admin.role.created',
  ROLE_UPDATED: 'admin.role.updated',
  ROLE_DELETED: 'admin.role.deleted',
} as const;
