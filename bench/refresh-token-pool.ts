/**
 * Refresh tokens that have never been used, each one the current head of its own session.
 * A refresh token is single-use (a second use ends its session), so a token leaves the pool
 * for good when it is taken.
 */
export class RefreshTokenPool {
  private readonly tokens: string[] = [];

  get size(): number {
    return this.tokens.length;
  }

  add(token: string): void {
    this.tokens.push(token);
  }

  take(): string | undefined {
    return this.tokens.pop();
  }
}
