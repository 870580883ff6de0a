import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@portcullis/audit';
import type { ScopedCaller } from '@portcullis/auth';
import type { Page } from '@portcullis/core';
import { ScopesService } from '@portcullis/oauth';
import { SessionsService } from '@portcullis/sessions';
import {
  RolesService,
  type CreateRoleInput,
  type RolePageRequest,
  type RoleWithUserCount,
  type UpdateRoleInput,
} from '@portcullis/users';
import type { DataSource, EntityManager } from 'typeorm';

import { AdminAuditAction } from '../admin-audit-actions.js';
import { recordAdminChange } from '../admin-change.audit.js';
import { AdminErrorCode, AdminErrors } from '../admin.errors.js';

/**
 * The admin API's rules for roles: a role holds only scopes that exist (admin:* and the
 * registered ones), built-in roles stay, and every change commits with its audit event.
 * Users' scopes are read from their roles at each sign-in, so a change here shapes new logins;
 * users who lose scopes by it lose their sessions, whose tokens still carry them.
 */
@Injectable()
export class AdminRolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly scopes: ScopesService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  list(request: RolePageRequest): Promise<Page<RoleWithUserCount>> {
    return this.roles.page(request);
  }

  get(id: string): Promise<RoleWithUserCount> {
    return this.roles.findById(id);
  }

  async create(auth: ScopedCaller, input: CreateRoleInput): Promise<RoleWithUserCount> {
    await this.assertScopesExist(input.scopes ?? []);
    const role = await this.dataSource.transaction(async (manager) => {
      const created = await this.roles.create(input, manager);
      await this.record(auth, AdminAuditAction.ROLE_CREATED, created.id, manager, {
        name: created.name,
        description: created.description,
        scopes: created.scopes,
      });
      return created;
    });
    return { role, userCount: 0 };
  }

  async update(auth: ScopedCaller, id: string, input: UpdateRoleInput): Promise<RoleWithUserCount> {
    if (input.scopes) await this.assertScopesExist(input.scopes);
    await this.dataSource.transaction(async (manager) => {
      const { role, changes } = await this.roles.update(id, input, manager);
      if (Object.keys(changes).length === 0) return;
      const lost = changes.scopes ? lostScopes(changes.scopes.old, changes.scopes.new) : [];
      const ended =
        lost.length > 0 ? await this.endSessionsOf(await this.roles.holderIds(id, manager), manager) : 0;
      await this.record(auth, AdminAuditAction.ROLE_UPDATED, role.id, manager, {
        name: role.name,
        changes,
        sessions_ended: ended,
      });
    });
    return this.roles.findById(id);
  }

  /** Built-in roles cannot go; a role in use goes only with `force`, taken from its users. */
  async delete(auth: ScopedCaller, id: string, force: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { role, holderIds } = await this.roles.delete(id, { force }, manager);
      const ended = role.scopes.length > 0 ? await this.endSessionsOf(holderIds, manager) : 0;
      await this.record(auth, AdminAuditAction.ROLE_DELETED, role.id, manager, {
        name: role.name,
        scopes: role.scopes,
        removed_from_users: holderIds.length,
        sessions_ended: ended,
      });
    });
  }

  /**
   * Users who lose scopes lose their sessions too: their tokens (and refreshes of them) still
   * carry the old scopes, and the next sign-in gets the new ones.
   */
  private endSessionsOf(userIds: string[], manager: EntityManager): Promise<number> {
    return this.sessions.revokeAllForUsers(userIds, 'roles_changed', manager);
  }

  private async assertScopesExist(names: string[]): Promise<void> {
    const wanted = [...new Set(names)];
    const found = new Set((await this.scopes.findByNames(wanted)).map((scope) => scope.name));
    const missing = wanted.filter((name) => !found.has(name));
    if (missing.length > 0) {
      throw AdminErrors.create(AdminErrorCode.UNKNOWN_SCOPE, `No such scope: ${missing.join(', ')}.`, {
        errors: missing.map((name) => ({
          field: 'scopes',
          code: 'unknown_scope',
          message: `No scope ${name}.`,
        })),
      });
    }
  }

  private record(
    auth: ScopedCaller,
    action: string,
    roleId: string,
    manager: EntityManager,
    details: Record<string, unknown>,
  ): Promise<void> {
    return recordAdminChange(this.audit, manager, {
      auth,
      action,
      target: { type: 'role', id: roleId },
      details,
    });
  }
}

function lostScopes(before: unknown, after: unknown): string[] {
  const kept = new Set(after as string[]);
  return (before as string[]).filter((scope) => !kept.has(scope));
}
