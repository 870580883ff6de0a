import { type AuditActor, userActor } from '@portcullis/audit';
import type { UserWithRoleNames } from '@portcullis/users';

/** A user calling through a token of one of its sessions: set by the AuthGuard. */
export interface AuthContext {
  kind: 'user';
  userId: string;
  sessionId: string;
  clientId: string;
  scopes: readonly string[];
  /** The caller's user row, read with the session check on routes marked @ReadsCaller(). */
  user?: UserWithRoleNames;
}

/**
 * A client calling on its own behalf, with its client_credentials token (a service account).
 * Only routes that require scopes (the admin API) take one: every other route acts for a user.
 */
export interface ClientAuthContext {
  kind: 'client';
  clientId: string;
  scopes: readonly string[];
}

/** Whoever may call a route that requires scopes: a user, or a client the scopes were allowed. */
export type ScopedCaller = AuthContext | ClientAuthContext;

/** The audit actor of a caller: the user, or the client acting on its own behalf. */
export function callerActor(caller: ScopedCaller): AuditActor {
  return caller.kind === 'user' ? userActor(caller.userId) : { type: 'client', id: caller.clientId };
}

/** Whether the caller is this user (a client never is): the rules an admin cannot break on itself. */
export function callerIsUser(caller: ScopedCaller, userId: string): boolean {
  return caller.kind === 'user' && caller.userId === userId;
}
