/** Who is calling: set by the AuthGuard, passed as the first argument to services. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  clientId: string;
  scopes: string[];
}
