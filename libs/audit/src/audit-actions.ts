/** Stable dotted names of audited actions: dashboards and alerts key on them. */
export const AuditAction = {
  USER_REGISTERED: 'user.registered',
  LOGIN_SUCCEEDED: 'user.login.succeeded',
  LOGIN_FAILED: 'user.login.failed',
  LOGIN_LOCKED: 'user.login.locked',
  LOGOUT: 'user.logout',
  PROFILE_UPDATED: 'user.profile.updated',
  PASSWORD_CHANGED: 'user.password.changed',
  REFRESH_TOKEN_REUSED: 'token.refresh.reused',
  SESSION_REVOKED: 'session.revoked',
  AUDIT_EVENTS_DELETED: 'audit.events.deleted',
} as const;

export type AuditActionName = (typeof AuditAction)[keyof typeof AuditAction];
