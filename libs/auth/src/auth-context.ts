import type { UserWithRoleNames } from '@portcullis/users';

/** Who is calling: set by the AuthGuard, passed as the first argument to services. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  clientId: string;
  scopes: readonly string[];
  /** The caller's user row, read with the session check on routes marked @ReadsCaller(). */
  user?: UserWithRoleNames;
}
