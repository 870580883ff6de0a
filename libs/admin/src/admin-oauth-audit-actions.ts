/** Audited admin changes to clients, scopes and keys (dotted, stable: dashboards and alerts key on them). */
export const AdminOAuthAuditAction = {
  CLIENT_CREATED: 'admin.client.created',
  CLIENT_UPDATED: 'admin.client.updated',
  CLIENT_DELETED: 'admin.client.deleted',
  CLIENT_SECRET_ROTATED: 'admin.client.secret_rotated',
  SCOPE_CREATED: 'admin.scope.created',
  SCOPE_UPDATED: 'admin.scope.updated',
  SCOPE_DELETED: 'admin.scope.deleted',
  KEY_ROTATED: 'admin.key.rotated',
} as const;
