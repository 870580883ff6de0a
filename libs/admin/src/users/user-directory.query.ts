import { buildPage, CoreErrorCode, CoreErrors, decodeCursor, type Page } from '@portcullis/core';
import { liveCondition } from '@portcullis/sessions';

export const USER_SORT_FIELDS = ['created_at', 'username', 'email', 'last_login_at', 'family_name'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

/** Without an `order`: newest first for times, A to Z for names. */
export function defaultOrder(sort: UserSortField): 'asc' | 'desc' {
  return sort === 'created_at' || sort === 'last_login_at' ? 'desc' : 'asc';
}

export interface UserListRequest {
  limit: number;
  offset: number;
  cursor?: string;
  sort: UserSortField;
  order: 'asc' | 'desc';
  search?: string;
  isActive?: boolean;
  emailVerified?: boolean;
  isLocked?: boolean;
  requiresPasswordChange?: boolean;
  /**
   * The id of the role to filter by, resolved beforehand: given as a value, the planner reads
   * the role's share from users.role_ids' element statistics (joined by name, it guesses).
   */
  roleId?: string;
  createdAfter?: string;
  createdBefore?: string;
  lastLoginAfter?: string;
  lastLoginBefore?: string;
  locale?: string;
  zoneinfo?: string;
}

/** One user as the admin list shows it: the row, its roles, lock and live session count. */
export interface UserDirectoryRow {
  id: string;
  username: string;
  email: string;
  email_verified: boolean;
  is_active: boolean;
  requires_password_change: boolean;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  locale: string | null;
  zoneinfo: string | null;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  roles: string[];
  locked_until: Date | null;
  active_session_count: number;
  /** The sort column as exact text (timestamps to the microsecond), for the cursor. */
  sort_value: string | null;
}

/** Sortable columns; nullable ones sort their nulls last in either direction. */
const SORT_COLUMNS: Record<UserSortField, { column: string; type: string; nullable: boolean }> = {
  created_at: { column: 'u.created_at', type: 'timestamptz', nullable: false },
  username: { column: 'u.username', type: 'citext', nullable: false },
  email: { column: 'u.email', type: 'citext', nullable: false },
  last_login_at: { column: 'u.last_login_at', type: 'timestamptz', nullable: true },
  family_name: { column: 'u.family_name', type: 'text', nullable: true },
};

/** A lock in force on an identifier that names the user (served by ix_login_throttles_user_id). */
const LOCK_IN_FORCE = `login_throttles t WHERE t.user_id = u.id AND t.locked_until > now()`;

/** The latest lock in force on the user. */
const LOCKED_UNTIL = `(SELECT max(t.locked_until) FROM ${LOCK_IN_FORCE})`;

/**
 * The admin user list as one statement per page: filters, trigram-indexed search, keyset or
 * offset paging, and per row its roles, lock and live sessions counted by correlated
 * subqueries on indexed keys (evaluated for the page's rows only: no N+1 round trips).
 */
export class UserDirectoryQuery {
  private readonly parameters: unknown[] = [];
  private readonly conditions: string[] = [];

  constructor(private readonly request: UserListRequest) {
    this.addFilters();
  }

  /** The page statement (limit + 1 rows) and, without a cursor, the count statement. */
  statements(): { page: [string, unknown[]]; count?: [string, unknown[]] } {
    const where = this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
    const count: [string, unknown[]] = [
      `SELECT count(*)::int AS total FROM users u ${where}`,
      [...this.parameters],
    ];
    const pageConditions = [...this.conditions];
    const parameters = [...this.parameters];
    const { column, nullable } = SORT_COLUMNS[this.request.sort];
    const descending = this.request.order === 'desc';
    if (this.request.cursor) {
      pageConditions.push(this.afterCursor(this.request.cursor, parameters));
    }
    const pageWhere = pageConditions.length > 0 ? `WHERE ${pageConditions.join(' AND ')}` : '';
    const direction = descending ? 'DESC' : 'ASC';
    const nulls = nullable ? ' NULLS LAST' : '';
    parameters.push(this.request.limit + 1);
    const limit = `LIMIT $${parameters.length}`;
    let offset = '';
    if (!this.request.cursor && this.request.offset > 0) {
      parameters.push(this.request.offset);
      offset = ` OFFSET $${parameters.length}`;
    }
    // The page's ids are chosen first (the inner query, from an index where it can), and only
    // then are their rows, roles, lock and sessions read: with an offset, the skipped rows
    // never pay for any of that.
    const page = `
      SELECT u.id, u.username::text AS username, u.email::text AS email, u.email_verified, u.is_active,
             u.requires_password_change, u.name, u.given_name, u.family_name, u.locale, u.zoneinfo,
             u.created_at, u.updated_at, u.last_login_at,
             ARRAY(SELECT r.name::text FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                    WHERE ur.user_id = u.id ORDER BY r.name) AS roles,
             ${LOCKED_UNTIL} AS locked_until,
             (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND ${liveCondition('s')})::int
               AS active_session_count,
             ${sortText(this.request.sort)} AS sort_value
        FROM (
          SELECT u.id FROM users u
            ${pageWhere}
           ORDER BY ${column} ${direction}${nulls}, u.id ${direction}
           ${limit}${offset}
        ) AS page
        JOIN users u ON u.id = page.id
       ORDER BY ${column} ${direction}${nulls}, u.id ${direction}`;
    return { page: [page, parameters], ...(this.request.cursor ? {} : { count }) };
  }

  toPage(rows: UserDirectoryRow[], total: number | undefined): Page<UserDirectoryRow> {
    return buildPage(rows, {
      limit: this.request.limit,
      offset: this.request.cursor ? 0 : this.request.offset,
      total,
      toItem: (row) => row,
      cursorOf: (row) => ({
        s: this.request.sort,
        o: this.request.order,
        v: row.sort_value ?? '',
        n: row.sort_value === null ? 1 : 0,
        id: row.id,
      }),
    });
  }

  private addFilters(): void {
    const request = this.request;
    const add = (condition: (parameter: string) => string, value: unknown): void => {
      this.parameters.push(value);
      this.conditions.push(condition(`$${this.parameters.length}`));
    };
    if (request.search !== undefined) {
      const pattern = `%${request.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      add(
        (p) =>
          `(u.username::text ILIKE ${p} OR u.email::text ILIKE ${p} OR u.given_name ILIKE ${p} OR u.family_name ILIKE ${p})`,
        pattern,
      );
    }
    if (request.isActive !== undefined) add((p) => `u.is_active = ${p}`, request.isActive);
    if (request.emailVerified !== undefined) add((p) => `u.email_verified = ${p}`, request.emailVerified);
    if (request.requiresPasswordChange !== undefined) {
      add((p) => `u.requires_password_change = ${p}`, request.requiresPasswordChange);
    }
    if (request.isLocked !== undefined) {
      this.conditions.push(`${request.isLocked ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${LOCK_IN_FORCE})`);
    }
    if (request.roleId !== undefined) {
      add(
        // role_ids mirrors user_roles and rides in ix_users_created_at_id: no join to count.
        (p) => `${p}::uuid = ANY(u.role_ids)`,
        request.roleId,
      );
    }
    if (request.createdAfter) add((p) => `u.created_at >= ${p}::timestamptz`, request.createdAfter);
    if (request.createdBefore) add((p) => `u.created_at < ${p}::timestamptz`, request.createdBefore);
    if (request.lastLoginAfter) add((p) => `u.last_login_at >= ${p}::timestamptz`, request.lastLoginAfter);
    if (request.lastLoginBefore) add((p) => `u.last_login_at < ${p}::timestamptz`, request.lastLoginBefore);
    if (request.locale !== undefined) add((p) => `u.locale = ${p}`, request.locale);
    if (request.zoneinfo !== undefined) add((p) => `u.zoneinfo = ${p}`, request.zoneinfo);
  }

  /**
   * Rows after the cursor's row in the list's order. Nulls sort last either way, so after a
   * non-null value come the greater (or lesser) values and then every null; after a null,
   * only the nulls further along by id.
   */
  private afterCursor(cursor: string, parameters: unknown[]): string {
    const position = decodeCursor(cursor, ['s', 'o', 'v', 'n', 'id']);
    const { column, type, nullable } = SORT_COLUMNS[this.request.sort];
    if (
      position.s !== this.request.sort ||
      position.o !== this.request.order ||
      typeof position.id !== 'string' ||
      !/^[0-9a-f-]{36}$/i.test(position.id) ||
      (position.n !== 0 && position.n !== 1) ||
      (type === 'timestamptz' && position.n === 0 && !EXACT_TIMESTAMP.test(String(position.v)))
    ) {
      throw invalidCursor();
    }
    const comparison = this.request.order === 'desc' ? '<' : '>';
    parameters.push(position.id);
    const id = `$${parameters.length}::uuid`;
    if (position.n === 1) {
      if (!nullable) throw invalidCursor();
      return `(${column} IS NULL AND u.id ${comparison} ${id})`;
    }
    parameters.push(String(position.v));
    const value = `$${parameters.length}::${type}`;
    const after = `(${column}, u.id) ${comparison} (${value}, ${id})`;
    return nullable ? `(${column} IS NULL OR ${after})` : after;
  }
}

const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The sort column as text that converts back to the exact same value. */
function sortText(sort: UserSortField): string {
  const { column, type } = SORT_COLUMNS[sort];
  return type === 'timestamptz'
    ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : `${column}::text`;
}

function invalidCursor() {
  return CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
    errors: [
      {
        field: 'cursor',
        code: 'invalid_cursor',
        message: 'cursor must be the next_cursor of a previous page with the same sort and order',
      },
    ],
  });
}
