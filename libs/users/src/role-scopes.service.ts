import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppCache, defineCachedView } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { ROLES_REGION, userRegion } from './users.cache.js';

/** A user's role-granted scopes: asked at every OAuth grant, changed rarely. */
const ROLE_SCOPES_VIEW = defineCachedView('users.role-scopes', 300, [ROLES_REGION]);

/**
 * The scopes a user's roles grant, cached: a role's scopes changing or the user's roles
 * changing invalidates the entry at once (ROLES_REGION, and the user's own region).
 */
@Injectable()
export class RoleScopesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: AppCache,
  ) {}

  /** Sorted, without duplicates; empty for a user with no roles or no such user. */
  async scopesOf(userId: string): Promise<string[]> {
    return this.cache.getOrLoad(ROLE_SCOPES_VIEW, userId, () => this.load(userId), [userRegion(userId)]);
  }

  private async load(userId: string): Promise<string[]> {
    const rows: { scope: string }[] = await this.dataSource.query(
      `SELECT DISTINCT unnest(r.scopes) AS scope
         FROM user_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = $1
        ORDER BY 1`,
      [userId],
    );
    return rows.map((row) => row.scope);
  }
}
