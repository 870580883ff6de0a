import type { EntityManager } from 'typeorm';

export type RevokeReason =
  | 'logout'
  | 'user_revoked'
  | 'admin_revoked'
  | 'password_changed'
  | 'refresh_token_reuse'
  | 'user_deactivated'
  | 'password_reset'
  | 'roles_changed'
  | 'user_deleted';

/**
 * Called, inside the revoking transaction, with the provider grants of the sessions that
 * just ended. The OAuth lib registers one to delete every token of those grants; sessions
 * cannot import it (dependencies point the other way), so it registers itself here.
 */
export type SessionRevocationHook = (grantIds: string[], manager: EntityManager) => Promise<void>;
