import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, BoundedMemoryStore } from '@portcullis/core';
import { primaryPool } from '@portcullis/database';
import type { DataSource } from 'typeorm';

import { USER_SNAPSHOT_QUERY, type UserWithRoleNamesRow, toUserWithRoleNames } from './user-profile.query.js';
import type { UserWithRoleNames } from './users.types.js';

interface Snapshot {
  version: string;
  roleNames: string;
  user: Readonly<UserWithRoleNames>;
}

/**
 * The users read for GET /auth/me, each kept with the version of its row (USER_VERSION_COLUMN).
 * The session check reads the caller's row version and role names in its own statement, live
 * on every request; the thirty columns of the profile are read again only when the version
 * differs from the copy's. A copy is therefore never older than the row, on any node, with no
 * invalidation to miss. (Not an AppCache view: nothing here can be stale, so CACHE_ENABLED
 * does not govern it.)
 */
@Injectable()
export class UserSnapshots {
  private readonly copies: BoundedMemoryStore<Snapshot>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.copies = new BoundedMemoryStore(config.get('CACHE_MAX_ENTRIES'));
  }

  /**
   * User `id` as of row version `version`, with `roleNames` (read with the version), when the
   * copy kept here is of that version; else undefined, and read() answers.
   */
  kept(id: string, version: string, roleNames: readonly string[]): Readonly<UserWithRoleNames> | undefined {
    const copy = this.copies.get(id);
    if (copy?.version !== version) return undefined;
    const roles = roleNames.join('\n');
    if (copy.roleNames === roles) return copy.user;
    return this.keep(id, version, roles, { ...copy.user, roles: roleNames.map((name) => ({ name })) });
  }

  /** User `id` read now, and kept under the version read with it; undefined when it is gone. */
  async read(id: string): Promise<Readonly<UserWithRoleNames> | undefined> {
    const { rows } = await primaryPool(this.dataSource).query<
      UserWithRoleNamesRow & { user_version: string }
    >({
      ...USER_SNAPSHOT_QUERY,
      values: [id],
    });
    if (rows.length === 0) return undefined;
    // A change since the caller's own statement is newer than what it asked for, never older.
    const row = rows[0];
    return this.keep(id, row.user_version, row.role_names.join('\n'), toUserWithRoleNames(row));
  }

  private keep(
    id: string,
    version: string,
    roleNames: string,
    user: UserWithRoleNames,
  ): Readonly<UserWithRoleNames> {
    const frozen = Object.freeze(user);
    this.copies.set(id, { version, roleNames, user: frozen });
    return frozen;
  }
}
