import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

import { ADMIN_ROLE } from './roles.constants.js';

/** Counts of the users table for the admin dashboard. */
export interface UserStats {
  total: number;
  active: number;
  /** Users with a lock in force on an identifier that names them (login_throttles.user_id). */
  locked: number;
  unverified: number;
  /** Holders of the admin role, active or not. */
  admins: number;
  new24h: number;
  new7d: number;
  new30d: number;
}

/**
 * The users table at a glance: one pass with FILTER clauses, and the users locked now read
 * from login_throttles by user (a short range scan of its partial index on locked_until).
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
              count(*) FILTER (WHERE u.created_at > now() - interval '30 days')::int AS new_30d,
              (SELECT count(DISTINCT t.user_id) FROM login_throttles t
                WHERE t.user_id IS NOT NULL AND t.locked_until > now())::int AS locked
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
      locked: number;
    }[];
    return {
      total: row.total,
      active: row.active,
      locked: row.locked,
      unverified: row.unverified,
      admins: row.admins,
      new24h: row.new_24h,
      new7d: row.new_7d,
      new30d: row.new_30d,
    };
  }
}
