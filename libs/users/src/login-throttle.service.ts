import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';
import { CacheInvalidator } from '@portcullis/database';
import type { DataSource, EntityManager } from 'typeorm';

import { identifierKey } from './login-identifier.js';
import { LOCKOUTS_REGION } from './users.cache.js';
import { AccountLockedError } from './users.errors.js';

export interface FailureOutcome {
  /** The identifier is locked now, by this failure or an earlier one. */
  locked: boolean;
  /** This failure reached the threshold and set the lock (audit the lockout on this one). */
  lockedByThisAttempt: boolean;
  /** Whole seconds until the lock ends (at least 1), when locked. */
  retryAfterSeconds?: number;
}

/** The identities of a user whose lockouts are lifted. */
export interface ThrottledUser {
  id: string;
  username: string;
  email: string;
}

export interface LockState {
  locked: boolean;
  /** The latest active lock's end, or null. */
  lockedUntil: Date | null;
  /** Failures that still count toward a lock (the highest among the identifiers). */
  failureCount: number;
}

// Whole seconds from now until locked_until, never 0 while still locked.
const RETRY_AFTER = `GREATEST(1, ceil(extract(epoch FROM t.locked_until - now())))::int`;

/**
 * $1 identifier hash, $2 threshold, $3 window (s), $4 duration (s), $5 the user the identifier
 * names now (NULL when none: it names whoever owns it at the latest failure, so a renamed
 * user's old identifier lets go of it). `state` reads the stored row: is it locked now, and
 * does the count start again (window passed or lock run out)?
 */
const RECORD_FAILURE = `
  INSERT INTO login_throttles AS t (identifier_hash, user_id, failure_count, window_started_at, locked_until, updated_at)
  VALUES ($1, $5::uuid, 1, now(), CASE WHEN 1 >= $2 THEN now() + make_interval(secs => $4) END, now())
  ON CONFLICT (identifier_hash) DO UPDATE SET (user_id, failure_count, window_started_at, locked_until, updated_at) = (
    SELECT $5::uuid,
           next.failure_count,
           CASE WHEN next.restart THEN now() ELSE t.window_started_at END,
           CASE WHEN next.locked THEN t.locked_until
                WHEN next.failure_count >= $2 THEN now() + make_interval(secs => $4) END,
           now()
    FROM (
      SELECT state.locked, state.restart,
             CASE WHEN state.restart THEN 1 ELSE t.failure_count + 1 END AS failure_count
      FROM (
        SELECT coalesce(t.locked_until > now(), false) AS locked,
               CASE WHEN t.locked_until IS NULL THEN t.window_started_at <= now() - make_interval(secs => $3)
                    ELSE t.locked_until <= now() END AS restart
      ) AS state
    ) AS next
  )
  RETURNING coalesce(t.locked_until > now(), false) AS locked,
            coalesce(t.locked_until = now() + make_interval(secs => $4), false) AS "lockedByThisAttempt",
            CASE WHEN t.locked_until > now() THEN ${RETRY_AFTER} END AS "retryAfterSeconds"`;

interface FailureRow {
  locked: boolean;
  lockedByThisAttempt: boolean;
  retryAfterSeconds: number | null;
}

/**
 * Counts failed logins per submitted identifier in PostgreSQL, so every node sees one count,
 * and locks an identifier for LOCKOUT_DURATION after LOCKOUT_THRESHOLD failures within
 * LOCKOUT_WINDOW. Unknown identifiers count and lock exactly like real ones, so a lockout tells
 * nothing about who exists. Times are the database's now(), never a node's clock. Writes use
 * the DataSource on purpose, outside any caller transaction: a failed login rolls its
 * transaction back, and the failure must still count.
 */
@Injectable()
export class LoginThrottleService {
  private readonly threshold: number;
  private readonly windowSeconds: number;
  private readonly durationSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invalidator: CacheInvalidator,
    config: AppConfig,
  ) {
    this.threshold = config.get('LOCKOUT_THRESHOLD');
    this.windowSeconds = config.get('LOCKOUT_WINDOW');
    this.durationSeconds = config.get('LOCKOUT_DURATION');
  }

  /** Throws ACCOUNT_LOCKED (with Retry-After) while the identifier is locked. */
  async assertNotLocked(identifier: string): Promise<void> {
    const rows: { retryAfterSeconds: number }[] = await this.dataSource.query(
      `SELECT ${RETRY_AFTER} AS "retryAfterSeconds" FROM login_throttles t WHERE t.identifier_hash = $1 AND t.locked_until > now()`,
      [identifierKey(identifier)],
    );
    if (rows.length > 0) throw new AccountLockedError(rows[0].retryAfterSeconds, false);
  }

  /**
   * Counts one failure in a single atomic upsert, so concurrent failures on any number of
   * nodes are all counted. The count starts again at 1 when the window has passed since its
   * first failure or when a lock has run out; a failure while locked counts but does not
   * extend the lock. A lock set by this statement ends at exactly now() + duration (now() is
   * fixed within a transaction, and an older lock began at an earlier now()): that is how the
   * statement tells that it set the lock. `userId` is the user the identifier names, if any:
   * the row remembers it so a user's lock state is read by user; unknown identifiers pass
   * none and run the very same statement.
   */
  async recordFailure(identifier: string, userId: string | null): Promise<FailureOutcome> {
    const rows: FailureRow[] = await this.dataSource.query(RECORD_FAILURE, [
      identifierKey(identifier),
      this.threshold,
      this.windowSeconds,
      this.durationSeconds,
      userId,
    ]);
    await this.invalidator.afterCommit(undefined, LOCKOUTS_REGION);
    const { locked, lockedByThisAttempt, retryAfterSeconds } = rows[0];
    return locked
      ? { locked, lockedByThisAttempt, retryAfterSeconds: retryAfterSeconds ?? 1 }
      : { locked, lockedByThisAttempt };
  }

  /** Forgets the identifier's failures (after a successful login). */
  async reset(identifier: string): Promise<void> {
    // TypeORM answers a DELETE with [rows, affected count]; most sign-ins had nothing to forget.
    const [, forgotten]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM login_throttles WHERE identifier_hash = $1`,
      [identifierKey(identifier)],
    );
    if (forgotten > 0) await this.invalidator.afterCommit(undefined, LOCKOUTS_REGION);
  }

  /**
   * Lifts locks and forgets failures of a user: its rows, and rows of its current username and
   * e-mail that name no user (counted before the user had them, e.g. before it registered).
   */
  async unlock(user: ThrottledUser, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource).query(
      `DELETE FROM login_throttles
        WHERE user_id = $1 OR (user_id IS NULL AND identifier_hash = ANY($2::bytea[]))`,
      [user.id, [user.username, user.email].map(identifierKey)],
    );
    await this.invalidator.afterCommit(manager, LOCKOUTS_REGION);
  }

  /**
   * After a user's username or e-mail changed: rows of identifiers it no longer has stop
   * naming it (they still throttle whoever submits them), so its lock state is its own.
   */
  async releaseFormerIdentifiers(user: ThrottledUser, manager?: EntityManager): Promise<void> {
    const [, released]: [unknown[], number] = await (manager ?? this.dataSource).query(
      `UPDATE login_throttles SET user_id = NULL
        WHERE user_id = $1 AND identifier_hash <> ALL($2::bytea[])`,
      [user.id, [user.username, user.email].map(identifierKey)],
    );
    if (released > 0) await this.invalidator.afterCommit(manager, LOCKOUTS_REGION);
  }

  /** The lock state across the rows that name the user, for admins. */
  async lockStateFor(userId: string): Promise<LockState> {
    const rows: { lockedUntil: Date | null; failureCount: number }[] = await this.dataSource.query(
      `SELECT max(t.locked_until) FILTER (WHERE t.locked_until > now()) AS "lockedUntil",
              coalesce(max(t.failure_count) FILTER (
                WHERE t.locked_until > now()
                   OR (t.locked_until IS NULL AND t.window_started_at > now() - make_interval(secs => $2))
              ), 0)::int AS "failureCount"
       FROM login_throttles t
       WHERE t.user_id = $1`,
      [userId, this.windowSeconds],
    );
    const { lockedUntil, failureCount } = rows[0];
    return { locked: lockedUntil !== null, lockedUntil, failureCount };
  }

  /**
   * Deletes up to `limit` rows that no longer matter (window passed, no lock in force), oldest
   * first, for a maintenance job; returns how many went.
   */
  async deleteExpired(limit = 1000): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM login_throttles WHERE identifier_hash IN (
         SELECT identifier_hash FROM login_throttles
         WHERE updated_at < now() - make_interval(secs => $1)
         ORDER BY updated_at
         LIMIT $2)`,
      [Math.max(this.windowSeconds, this.durationSeconds), limit],
    );
    return deleted;
  }
}
