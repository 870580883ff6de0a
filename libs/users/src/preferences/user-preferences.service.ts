import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

import { applyMergePatch } from './json-merge-patch.js';
import type { JsonObject } from './json-value.js';
import { readPreferencesBody } from './preferences-body.js';
import { assertWithinLimits } from './preferences-limits.js';

/**
 * A user's preferences: one free-form JSON object (`{}` until set), replaced whole or changed
 * by an RFC 7396 merge patch. Bodies arrive as `unknown` and are checked here. Every answer
 * is the object as PostgreSQL stored it.
 */
@Injectable()
export class UserPreferencesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<JsonObject> {
    const [row] = (await this.dataSource.query(`SELECT data FROM user_preferences WHERE user_id = $1`, [
      userId,
    ])) as { data: JsonObject }[];
    return row?.data ?? {};
  }

  /** Replaces the whole object; VALIDATION_FAILED (400) or PREFERENCES_TOO_* (413) store nothing. */
  async replace(userId: string, body: unknown): Promise<JsonObject> {
    const preferences = readPreferencesBody(body);
    assertWithinLimits(preferences);
    return this.write(userId, preferences, this.dataSource.manager);
  }

  /**
   * Merges the patch into the stored object under a row lock, so concurrent patches apply one
   * after the other instead of overwriting each other. The limits apply to the merged result.
   */
  async patch(userId: string, body: unknown): Promise<JsonObject> {
    const patch = readPreferencesBody(body);
    return this.dataSource.transaction(async (manager) => {
      const merged = applyMergePatch(await this.lockForUpdate(userId, manager), patch);
      assertWithinLimits(merged);
      return this.write(userId, merged, manager);
    });
  }

  /**
   * The stored object, its row locked until the transaction ends. The row is created first when
   * missing: FOR UPDATE cannot lock a row that does not exist, and two first patches would then
   * both start from `{}`. Should the patch fail, the rollback removes that row again.
   */
  private async lockForUpdate(userId: string, manager: EntityManager): Promise<JsonObject> {
    await manager.query(
      `INSERT INTO user_preferences (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING`,
      [userId],
    );
    const [row] = (await manager.query(`SELECT data FROM user_preferences WHERE user_id = $1 FOR UPDATE`, [
      userId,
    ])) as { data: JsonObject }[];
    return row.data;
  }

  private async write(userId: string, preferences: JsonObject, manager: EntityManager): Promise<JsonObject> {
    const [row] = (await manager.query(
      `INSERT INTO user_preferences (user_id, data, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (user_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
       RETURNING data`,
      [userId, JSON.stringify(preferences)],
    )) as { data: JsonObject }[];
    return row.data;
  }
}
