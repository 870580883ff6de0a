import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AppConfig,
  buildPage,
  CoreErrorCode,
  CoreErrors,
  decodeCursor,
  type Page,
  TurnBatch,
} from '@portcullis/core';
import { CacheInvalidator, isLockNotAvailable, primaryPool } from '@portcullis/database';
import {
  ROLE_NAMES_COLUMN,
  USER_VERSION_COLUMN,
  UserSnapshots,
  userChanged,
  type UserWithRoleNames,
} from '@portcullis/users';
import type { DataSource, EntityManager } from 'typeorm';

import type { SessionStats, SessionSummary } from './session-stats.js';
import { SessionEntity } from './session.entity.js';
import { SESSIONS_REGION } from './sessions.cache.js';
import { SessionsErrorCode, SessionsErrors } from './sessions.errors.js';
import type { RevokeReason, SessionRevocationHook } from './session-revocation.js';

/** last_seen_at is written at most this often per session, to keep the hot path read-only. */
const TOUCH_INTERVAL_SECONDS = 60;

/**
 * The SQL condition of a live session, optionally for a table alias: the one definition every
 * query that asks "is it live?" uses (access checks, lists, counts).
 */
export function liveCondition(alias?: string): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return `${column('revoked_at')} IS NULL AND ${column('expires_at')} > now() AND ${column('idle_expires_at')} > now()`;
}

const LIVE = liveCondition();
/** Whole milliseconds, the precision a cursor carries (a JS Date has no microseconds). */
const CREATED_MS = `date_trunc('milliseconds', session.created_at)`;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor that decodes but was not made by this list. */
function invalidCursor() {
  return CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
    errors: [
      {
        field: 'cursor',
        code: 'invalid_cursor',
        message: 'cursor must be the next_cursor of a previous page',
      },
    ],
  });
}

/** Sizes a prune batch in pages before the table has statistics (a session row is ~120 bytes). */
const DEFAULT_ROWS_PER_PAGE = 60;

/** How long a prune batch waits for a row another transaction holds before it gives up. */
const PRUNE_LOCK_TIMEOUT_MS = 200;

/**
 * The statement behind every access check: for each (session, user, token) asked about in one
 * turn, the session is live and its user active, in one indexed read per key; optionally the
 * caller's row (GET /auth/me) and a condition on the bearer token (registered by the OAuth lib:
 * its record still exists). Concurrent requests share one round trip however much each checks.
 */
function sessionAccessSql(options: { withUser: boolean; tokenCondition?: string }): string {
  // The caller's profile itself comes from UserSnapshots, checked against the row version.
  const columns = options.withUser
    ? `u.requires_password_change, ${USER_VERSION_COLUMN}, ${ROLE_NAMES_COLUMN}`
    : 'u.requires_password_change';
  return `
  SELECT asked.ordinal, s.last_seen_at < now() - make_interval(secs => ${TOUCH_INTERVAL_SECONDS}) AS stale,
         ${columns},
         ${options.tokenCondition ? `(asked.token IS NULL OR ${options.tokenCondition})` : 'true'} AS token_valid
    FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY AS asked(session_id, user_id, token, ordinal)
    JOIN sessions s ON s.id = asked.session_id AND s.user_id = asked.user_id
    JOIN users u ON u.id = s.user_id
   WHERE u.is_active AND ${liveCondition('s')}`;
}

/** One access check waiting for its turn's statement. */
interface AccessKey {
  sessionId: string;
  userId: string;
  /** The registered condition's parameter for the bearer token; null when none is checked. */
  tokenParameter: unknown;
}

interface AccessRow {
  ordinal: string;
  stale: boolean;
  token_valid: boolean;
  requires_password_change: boolean;
  /** With the user only. */
  user_version?: string;
  role_names?: string[];
}

/** A condition a bearer token must meet besides its session, checked in the same statement. */
export interface TokenAccessCondition {
  /** SQL that is true while the token may be used, over its parameter's placeholder (`$3`). */
  sql(placeholder: string): string;
  /** The parameter for a bearer token. */
  parameter(token: string): unknown;
}

export interface SessionAccess {
  requiresPasswordChange: boolean;
  /** False when the bearer token fails the registered token condition (e.g. it was revoked). */
  tokenValid: boolean;
}

export interface SessionPageRequest {
  limit: number;
  offset: number;
  cursor?: string;
  /** By creation; newest first unless `asc`. */
  order?: 'asc' | 'desc';
  includeInactive?: boolean;
}

export interface SessionAccessWithUser extends SessionAccess {
  user: UserWithRoleNames;
}

export interface StartSessionInput {
  userId: string;
  clientId: string;
  grantId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly revocationHooks: SessionRevocationHook[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly invalidator: CacheInvalidator,
    private readonly userSnapshots: UserSnapshots,
  ) {}

  private tokenCondition: TokenAccessCondition | undefined;
  /** One batch for the checks that read the caller's row, one for those that do not. */
  private readonly accessBatches = new Map<boolean, TurnBatch<AccessKey, AccessRow | undefined>>();

  onRevocation(hook: SessionRevocationHook): void {
    this.revocationHooks.push(hook);
  }

  async start(
    input: StartSessionInput,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SessionEntity> {
    const ttl = this.config.get('SESSION_TTL');
    const idle = Math.min(this.config.get('SESSION_IDLE_TTL'), ttl);
    const [row] = (await manager.query(
      `INSERT INTO sessions (user_id, client_id, grant_id, ip, user_agent, expires_at, idle_expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), now() + make_interval(secs => $7))
       RETURNING id`,
      [
        input.userId,
        input.clientId,
        input.grantId ?? null,
        input.ip ?? null,
        input.userAgent?.slice(0, 512) ?? null,
        ttl,
        idle,
      ],
    )) as { id: string }[];
    await this.invalidator.afterCommit(manager, SESSIONS_REGION, ...userChanged(input.userId));
    return manager.findOneByOrFail(SessionEntity, { id: row.id });
  }

  async attachGrant(
    sessionId: string,
    grantId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.update(SessionEntity, { id: sessionId }, { grantId });
  }

  /** Registers the condition every bearer token must meet (the OAuth lib: its record exists). */
  requireOfTokens(condition: TokenAccessCondition): void {
    if (this.tokenCondition) throw new Error('A token access condition is registered already');
    this.tokenCondition = condition;
    // A batch made before now would leave the condition out of its statement.
    this.accessBatches.clear();
  }

  /**
   * The check behind every authenticated request, straight from PostgreSQL, so a session
   * revoked on any node fails here at once: the checks of one event-loop turn go together in
   * one statement, sent after each of them was asked for. It also answers whether the user
   * must change its password, whether the bearer `token` (when given) meets the registered
   * condition, and with `withUser` the caller's row. Activity is written back at most once a
   * minute, off the request's path. Null when the session or its user is no longer live.
   */
  async checkAccess(sessionId: string, userId: string): Promise<SessionAccess | null>;
  async checkAccess(
    sessionId: string,
    userId: string,
    options: { token?: string; withUser: true },
  ): Promise<SessionAccessWithUser | null>;
  async checkAccess(
    sessionId: string,
    userId: string,
    options?: { token?: string; withUser?: boolean },
  ): Promise<SessionAccess | null>;
  async checkAccess(
    sessionId: string,
    userId: string,
    options: { token?: string; withUser?: boolean } = {},
  ): Promise<SessionAccess | SessionAccessWithUser | null> {
    // Ids come from verified tokens; one that is not a UUID cannot name a session, and must not
    // fail the cast for the other checks of its batch.
    if (!UUID.test(sessionId) || !UUID.test(userId)) return null;
    const withUser = options.withUser ?? false;
    const condition = this.tokenCondition;
    const row = await this.accessBatch(withUser).load({
      sessionId,
      userId,
      tokenParameter: options.token === undefined || !condition ? null : condition.parameter(options.token),
    });
    if (!row) return null;
    if (row.stale) this.touch(sessionId);
    const access = { requiresPasswordChange: row.requires_password_change, tokenValid: row.token_valid };
    if (!withUser) return access;
    const user =
      this.userSnapshots.kept(userId, row.user_version ?? '', row.role_names ?? []) ??
      (await this.userSnapshots.read(userId));
    return user ? { ...access, user } : null;
  }

  private accessBatch(withUser: boolean): TurnBatch<AccessKey, AccessRow | undefined> {
    let batch = this.accessBatches.get(withUser);
    if (batch) return batch;
    const condition = this.tokenCondition;
    // A named prepared statement straight on the pool: PostgreSQL plans it once per
    // connection, and TypeORM's per-query overhead stays off the hottest path we have.
    const statement = {
      name: `portcullis_session_access${withUser ? '_with_user' : ''}${condition ? '_and_token' : ''}`,
      text: sessionAccessSql({ withUser, tokenCondition: condition?.sql('asked.token') }),
    };
    batch = new TurnBatch(async (keys) => {
      const { rows } = await primaryPool(this.dataSource).query<AccessRow>({
        ...statement,
        values: [
          keys.map((key) => key.sessionId),
          keys.map((key) => key.userId),
          keys.map((key) => key.tokenParameter),
        ],
      });
      const byOrdinal = new Map(rows.map((row) => [Number(row.ordinal), row]));
      return keys.map((_, index) => byOrdinal.get(index + 1));
    });
    this.accessBatches.set(withUser, batch);
    return batch;
  }

  /** Marks activity and slides the idle expiry forward (never past the absolute expiry). */
  private touch(sessionId: string): void {
    const idle = this.config.get('SESSION_IDLE_TTL');
    this.dataSource
      .query(
        `UPDATE sessions SET last_seen_at = now(), idle_expires_at = LEAST(expires_at, now() + make_interval(secs => $2))
          WHERE id = $1 AND ${LIVE}`,
        [sessionId, idle],
      )
      .catch((error: unknown) => this.logger.warn(`Could not record session activity: ${String(error)}`));
  }

  /** A refresh counts as activity too. */
  async recordActivity(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE sessions SET last_seen_at = now(), idle_expires_at = LEAST(expires_at, now() + make_interval(secs => $2)) WHERE id = $1`,
      [sessionId, this.config.get('SESSION_IDLE_TTL')],
    );
  }

  /**
   * Locks the session a provider grant belongs to (live or not) until the transaction ends:
   * concurrent refreshes of one session queue here, so rotation and reuse detection are
   * decided one at a time.
   */
  async lockByGrantId(
    grantId: string,
    manager: EntityManager,
  ): Promise<{ session: SessionEntity; live: boolean } | null> {
    const rows = (await manager.query(
      `SELECT id, (${LIVE}) AS live FROM sessions WHERE grant_id = $1 FOR UPDATE`,
      [grantId],
    )) as {
      id: string;
      live: boolean;
    }[];
    if (rows.length === 0) return null;
    return { session: await manager.findOneByOrFail(SessionEntity, { id: rows[0].id }), live: rows[0].live };
  }

  async listForUser(userId: string, options: { includeInactive?: boolean } = {}): Promise<SessionEntity[]> {
    const query = this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('session')
      .where('session.user_id = :userId', { userId })
      .orderBy('session.created_at', 'DESC');
    if (!options.includeInactive) query.andWhere(liveCondition('session'));
    return query.getMany();
  }

  /** A page of the user's sessions, newest first; live ones only unless `includeInactive`. */
  async pageForUser(userId: string, request: SessionPageRequest): Promise<Page<SessionEntity>> {
    const direction = request.order === 'asc' ? 'ASC' : 'DESC';
    const query = this.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('session')
      .where('session.user_id = :userId', { userId });
    if (!request.includeInactive) query.andWhere(liveCondition('session'));
    const total = request.cursor ? undefined : await query.getCount();
    if (request.cursor) {
      const { created_at: createdAt, id } = decodeCursor(request.cursor, ['created_at', 'id']);
      if (!ISO_INSTANT.test(String(createdAt)) || !UUID.test(String(id))) throw invalidCursor();
      query.andWhere(
        `(${CREATED_MS}, session.id) ${direction === 'ASC' ? '>' : '<'} (:createdAt::timestamptz, :id::uuid)`,
        { createdAt: String(createdAt), id: String(id) },
      );
    } else {
      query.offset(request.offset);
    }
    const rows = await query
      .orderBy(CREATED_MS, direction)
      .addOrderBy('session.id', direction)
      .limit(request.limit + 1)
      .getMany();
    return buildPage(rows, {
      limit: request.limit,
      offset: request.cursor ? 0 : request.offset,
      total,
      toItem: (row) => row,
      cursorOf: (row) => ({ created_at: row.createdAt.toISOString(), id: row.id }),
    });
  }

  /** How many live sessions the user has. */
  async countLiveForUser(userId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count FROM sessions WHERE user_id = $1 AND ${LIVE}`,
      [userId],
    )) as { count: number }[];
    return row.count;
  }

  async findForUser(userId: string, sessionId: string): Promise<SessionEntity> {
    const session = await this.dataSource.getRepository(SessionEntity).findOneBy({ id: sessionId, userId });
    if (!session)
      throw SessionsErrors.create(
        SessionsErrorCode.SESSION_NOT_FOUND,
        `No session ${sessionId} for this user.`,
      );
    return session;
  }

  /** Ends one session and every token of its grant. Ending an ended session changes nothing. */
  async revoke(sessionId: string, reason: RevokeReason, manager: EntityManager): Promise<boolean> {
    const revoked = await this.revokeWhere('id = $1', [sessionId], reason, manager);
    return revoked.length > 0;
  }

  /** Ends every live session of a user, optionally keeping one (the caller's own). */
  async revokeAllForUser(
    userId: string,
    reason: RevokeReason,
    manager: EntityManager,
    options: { exceptSessionId?: string } = {},
  ): Promise<number> {
    const revoked = options.exceptSessionId
      ? await this.revokeWhere(
          'user_id = $1 AND id <> $2',
          [userId, options.exceptSessionId],
          reason,
          manager,
        )
      : await this.revokeWhere('user_id = $1', [userId], reason, manager);
    return revoked.length;
  }

  /** Ends every live session of these users (e.g. all who just lost a role's scopes). */
  async revokeAllForUsers(userIds: string[], reason: RevokeReason, manager: EntityManager): Promise<number> {
    if (userIds.length === 0) return 0;
    return (await this.revokeWhere('user_id = ANY($1::uuid[])', [userIds], reason, manager)).length;
  }

  /**
   * Deletes the sessions that ended (expired, idle or revoked) longer than `retentionSeconds`
   * ago, with every provider record of their grants, walking the table once in physical order:
   * each batch is a range of heap pages (about `batchRows` rows' worth) read by a TID range
   * scan, in its own short transaction. No index is consulted and no page is read twice, so a
   * batch costs the same at the end of a million rows as at the start; asking for "any N ended
   * rows" instead made PostgreSQL re-scan the table on every batch. Yields how many sessions
   * each batch deleted. Rows moved or added behind the walk are left to the next run.
   */
  async *deleteEndedBefore(retentionSeconds: number, batchRows: number): AsyncGenerator<number> {
    const [size] = (await this.dataSource.query(
      `SELECT (pg_relation_size('sessions') / current_setting('block_size')::int)::int AS pages,
              CASE WHEN relpages > 0 AND reltuples > 0 THEN reltuples / relpages END AS rows_per_page
         FROM pg_class WHERE oid = 'sessions'::regclass`,
    )) as { pages: number; rows_per_page: number | null }[];
    const pagesPerBatch = Math.max(1, Math.floor(batchRows / (size.rows_per_page ?? DEFAULT_ROWS_PER_PAGE)));
    for (let firstPage = 0; firstPage < size.pages; firstPage += pagesPerBatch) {
      yield await this.deleteEndedInPages(retentionSeconds, firstPage, pagesPerBatch);
    }
  }

  /**
   * One batch of deleteEndedBefore. A plain DELETE: row locks taken first (FOR UPDATE SKIP
   * LOCKED) cost a second write and WAL record per row, more than doubling the prune's
   * PostgreSQL CPU. Instead a batch that meets a row locked for longer than
   * PRUNE_LOCK_TIMEOUT_MS (a refresh holding an old session, rare) is rolled back and left to
   * the next run, so the prune never holds anyone up for long.
   */
  private async deleteEndedInPages(
    retentionSeconds: number,
    firstPage: number,
    pages: number,
  ): Promise<number> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = ${PRUNE_LOCK_TIMEOUT_MS}`);
        const [rows] = (await manager.query(
          `DELETE FROM sessions
            WHERE ctid >= format('(%s,0)', $2::int)::tid AND ctid < format('(%s,0)', $2::int + $3::int)::tid
              AND (expires_at < now() - make_interval(secs => $1)
               OR idle_expires_at < now() - make_interval(secs => $1)
               OR revoked_at < now() - make_interval(secs => $1))
           RETURNING grant_id`,
          [retentionSeconds, firstPage, pages],
        )) as [{ grant_id: string | null }[], number];
        const grantIds = rows.map((row) => row.grant_id).filter((id): id is string => id !== null);
        if (grantIds.length > 0) {
          for (const hook of this.revocationHooks) await hook(grantIds, manager);
        }
        return rows.length;
      });
    } catch (error) {
      if (!isLockNotAvailable(error)) throw error;
      this.logger.debug(`Prune batch at page ${firstPage} met a locked row; left to the next run`);
      return 0;
    }
  }

  async stats(): Promise<SessionStats> {
    const [counts] = (await this.dataSource.query(`
      SELECT count(*) FILTER (WHERE ${LIVE})::int AS active,
             count(*) FILTER (WHERE revoked_at IS NULL AND expires_at > now() AND idle_expires_at <= now())::int AS idle_expired,
             count(*) FILTER (WHERE revoked_at IS NULL AND expires_at <= now())::int AS expired,
             count(*) FILTER (WHERE revoked_at IS NOT NULL)::int AS revoked
        FROM sessions`)) as { active: number; idle_expired: number; expired: number; revoked: number }[];
    const byClient = (await this.dataSource.query(
      `SELECT client_id, count(*)::int AS active FROM sessions WHERE ${LIVE} GROUP BY client_id ORDER BY active DESC, client_id`,
    )) as { client_id: string; active: number }[];
    const perDay = (await this.dataSource.query(`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, count(s.id)::int AS created
        FROM generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - interval '29 days', date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') AS day
        LEFT JOIN sessions s ON s.created_at >= day AT TIME ZONE 'UTC' AND s.created_at < (day + interval '1 day') AT TIME ZONE 'UTC'
       GROUP BY day ORDER BY day`)) as { day: string; created: number }[];
    return {
      active: counts.active,
      idleExpired: counts.idle_expired,
      expired: counts.expired,
      revoked: counts.revoked,
      activeByClient: byClient.map((row) => ({ clientId: row.client_id, active: row.active })),
      createdPerDay: perDay,
    };
  }

  /** Live sessions and sessions started in the last 24 hours, in one pass, for the dashboard. */
  async summary(): Promise<SessionSummary> {
    const [row] = (await this.dataSource.query(`
      SELECT count(*) FILTER (WHERE ${LIVE})::int AS active,
             count(*) FILTER (WHERE created_at > now() - interval '24 hours')::int AS created_24h
        FROM sessions`)) as { active: number; created_24h: number }[];
    return { active: row.active, created24h: row.created_24h };
  }

  private async revokeWhere(
    condition: string,
    parameters: unknown[],
    reason: RevokeReason,
    manager: EntityManager,
  ): Promise<{ id: string; grant_id: string | null }[]> {
    const reasonParameter = `$${parameters.length + 1}`;
    const [rows] = (await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoke_reason = ${reasonParameter}
        WHERE ${condition} AND revoked_at IS NULL RETURNING id, grant_id, user_id`,
      [...parameters, reason],
    )) as [{ id: string; grant_id: string | null; user_id: string }[], number];
    if (rows.length > 0) {
      const users = new Set(rows.map((row) => row.user_id));
      await this.invalidator.afterCommit(manager, SESSIONS_REGION, ...[...users].flatMap(userChanged));
    }
    const grantIds = rows.map((row) => row.grant_id).filter((id): id is string => id !== null);
    if (grantIds.length > 0) {
      for (const hook of this.revocationHooks) await hook(grantIds, manager);
    }
    return rows;
  }
}
