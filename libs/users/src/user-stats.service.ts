import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { ADMIN_ROLE } from './roles.constants.js';

/** Counts of the users table for the admin dashboard. */
export interface UserStats {
  total: number;
  active: number;
  /** Users whose username or e-mail is locked out now (login_throttles). */
  locked: number;
  unverified: number;
  /** Holders of the admin role, active or not. */
  admins: number;
  new24h: number;
  new7d: number;
  new30d: number;
}

// The login_throttles key of a stored username or e-mail: SHA-256 of the trimmed, NFC, lower-cased
// form (identifierKey). Stored identities are already trimmed and NFC.
const IDENTIFIER_KEY = (column: string) => `sha256(convert_to(lower(${column}::text), 'UTF8'))`;

/**
 * The users table at a glance: one pass with FILTER clauses. Locks are kept per identifier
 * digest, not per user, so locked users are counted only when some identifier is locked now
 * (usually none), by hashing usernames and e-mails in a second pass.
 */
@Injectable()
export class UserStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(): Promise<UserStats> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE u.is_active)::int AS active,
              count(*) FILTER (WHERE NOT u.email_verified)::int AS unverified,
              count(*) FILTER (WHERE u.id IN (
                SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.name = $1
              ))::int AS admins,
              count(*) FILTER (WHERE u.created_at > now() - interval '24 hours')::int AS new_24h,
              count(*) FILTER (WHERE u.created_at > now() - interval '7 days')::int AS new_7d,
              count(*) FILTER (WHERE u.created_at > now() - interval '30 days')::int AS new_30d
         FROM users u`,
      [ADMIN_ROLE],
    )) as {
      total: number;
      active: number;
      unverified: number;
      admins: number;
      new_24h: number;
      new_7d: number;
      new_30d: number;
    }[];
    return {
      total: row.total,
      active: row.active,
      locked: await this.lockedUsers(),
      unverified: row.unverified,
      admins: row.admins,
      new24h: row.new_24h,
      new7d: row.new_7d,
      new30d: row.new_30d,
    };
  }

  private async lockedUsers(): Promise<number> {
    const locks = (await this.dataSource.query(
      `SELECT identifier_hash FROM login_throttles WHERE locked_until > now()`,
    )) as { identifier_hash: Buffer }[];
    if (locks.length === 0) return 0;
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS locked FROM users
        WHERE ${IDENTIFIER_KEY('username')} = ANY($1) OR ${IDENTIFIER_KEY('email')} = ANY($1)`,
      [locks.map((lock) => lock.identifier_hash)],
    )) as { locked: number }[];
    return row.locked;
  }
}
