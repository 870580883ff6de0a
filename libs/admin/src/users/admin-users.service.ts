import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@portcullis/audit';
import { callerActor, callerIsUser, type ScopedCaller } from '@portcullis/auth';
import { AppCache, CoreErrorCode, CoreErrors, DomainError, type Page } from '@portcullis/core';
import { ProviderAccountRecords } from '@portcullis/oauth';
import {
  type RevokeReason,
  type SessionEntity,
  type SessionPageRequest,
  SessionsService,
} from '@portcullis/sessions';
import {
  ADMIN_ROLE,
  generatePassword,
  LoginThrottleService,
  PasswordPolicy,
  RolesService,
  userRegion,
  UsersService,
  type AccountPatch,
  type CreateUserInput,
  type FieldChange,
  type LockState,
  type UserEntity,
} from '@portcullis/users';
import type { DataSource, EntityManager } from 'typeorm';

import { AdminAuditAction } from '../admin-audit-actions.js';
import { USER_DETAIL_VIEW, USER_LIST_VIEW } from '../admin-cache.views.js';
import { recordAdminChange } from '../admin-change.audit.js';
import { AdminErrorCode, AdminErrors } from '../admin.errors.js';
import {
  type AdminUserPageDto,
  type AdminUserResponseDto,
  toAdminUserPage,
  toAdminUserResponse,
} from './dto/admin-user-response.dto.js';
import { UserDirectoryQuery, type UserDirectoryRow, type UserListRequest } from './user-directory.query.js';

/** A user as an admin sees it: the account, its lock state and its live sessions. */
export interface AdminUserDetail {
  user: UserEntity;
  lock: LockState;
  activeSessionCount: number;
}

export interface AdminCreateUserInput extends Omit<CreateUserInput, 'password'> {
  /** Exactly one of `password` and `generatePassword`. */
  password?: string;
  generatePassword?: boolean;
}

export interface AdminUserCreated {
  detail: AdminUserDetail;
  /** Only when generated: shown once, never stored in the clear. */
  temporaryPassword?: string;
}

/**
 * The admin API's rules for users. Every read the API serves is one method here and every
 * write goes through one too (so a cache can wrap the reads and the writes invalidate it).
 * Each change commits with its audit event in one transaction. Changes that could take away
 * the last active admin lock the admin role's row first, so they are decided one at a time.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly roles: RolesService,
    private readonly policy: PasswordPolicy,
    private readonly throttles: LoginThrottleService,
    private readonly sessions: SessionsService,
    private readonly accountRecords: ProviderAccountRecords,
    private readonly audit: AuditService,
    private readonly cache: AppCache,
  ) {}

  /** A page of the user list as the API answers it, cached (USER_LIST_VIEW). */
  async listPage(request: UserListRequest & { role?: string }): Promise<AdminUserPageDto> {
    const key = createHash('sha256').update(JSON.stringify(request)).digest('base64url');
    return this.cache.getOrLoad(USER_LIST_VIEW, key, async () => toAdminUserPage(await this.list(request)));
  }

  /** One user as the API answers it, cached (USER_DETAIL_VIEW and the user's own region). */
  async detail(id: string): Promise<AdminUserResponseDto> {
    const userId = id.toLowerCase();
    return this.cache.getOrLoad(
      USER_DETAIL_VIEW,
      userId,
      async () => toAdminUserResponse(await this.get(userId)),
      [userRegion(userId)],
    );
  }

  async list(request: UserListRequest & { role?: string }): Promise<Page<UserDirectoryRow>> {
    const { role, ...rest } = request;
    const roleId = role === undefined ? undefined : await this.roles.findIdByName(role);
    if (role !== undefined && roleId === undefined) {
      return {
        items: [],
        total: 0,
        limit: request.limit,
        offset: request.offset,
        has_more: false,
        next_cursor: null,
      };
    }
    const query = new UserDirectoryQuery({ ...rest, roleId });
    const { page, count } = query.statements();
    // Two statements on two pooled connections at once: the page and, without a cursor, its total.
    const [rows, counted] = await Promise.all([
      this.dataSource.query(...page) as Promise<UserDirectoryRow[]>,
      count ? (this.dataSource.query(...count) as Promise<{ total: number }[]>) : undefined,
    ]);
    return query.toPage(rows, counted?.[0].total);
  }

  async get(id: string): Promise<AdminUserDetail> {
    return this.detailOf(await this.users.findById(id));
  }

  async create(auth: ScopedCaller, input: AdminCreateUserInput): Promise<AdminUserCreated> {
    assertExactlyOnePassword(input);
    const temporaryPassword = input.generatePassword ? this.temporaryPassword(input) : undefined;
    const password = temporaryPassword ?? (input.password as string);
    const user = await this.dataSource.transaction(async (manager) => {
      const created = await this.users.create(
        {
          ...input,
          password,
          requiresPasswordChange: temporaryPassword ? true : (input.requiresPasswordChange ?? false),
        },
        manager,
      );
      await this.record(auth, AdminAuditAction.USER_CREATED, created.id, manager, {
        username: created.username,
        email: created.email,
        roles: created.roles.map((role) => role.name),
        is_active: created.isActive,
        password: temporaryPassword ? 'generated' : 'set',
      });
      return created;
    });
    return { detail: await this.detailOf(user), ...(temporaryPassword ? { temporaryPassword } : {}) };
  }

  /** Only the fields sent. Deactivating ends every session of the user. */
  async update(auth: ScopedCaller, id: string, patch: AccountPatch): Promise<AdminUserDetail> {
    const user = await this.auditingRefusals(auth, AdminAuditAction.USER_UPDATED, id, () =>
      this.dataSource.transaction(async (manager) => {
        if (patch.isActive === false) {
          if (callerIsUser(auth, id)) throw AdminErrors.create(AdminErrorCode.CANNOT_DEACTIVATE_SELF);
          await this.assertNotLastActiveAdmin(id, manager);
        }
        const { user: updated, changes } = await this.users.updateAccount(id, patch, manager);
        if (Object.keys(changes).length === 0) return updated;
        const ended =
          changes.isActive?.new === false ? await this.endSessions(id, 'user_deactivated', manager) : 0;
        await this.record(auth, AdminAuditAction.USER_UPDATED, id, manager, {
          changes: auditChanges(changes),
          ...(changes.isActive ? { sessions_ended: ended } : {}),
        });
        return updated;
      }),
    );
    return this.detailOf(user);
  }

  /**
   * Replaces the user's roles. Nobody removes its own admin role, nor the last active admin's;
   * a user who loses scopes loses its sessions too, whose tokens still carry them.
   */
  async setRoles(auth: ScopedCaller, id: string, roleNames: string[]): Promise<AdminUserDetail> {
    const user = await this.auditingRefusals(auth, AdminAuditAction.USER_ROLES_CHANGED, id, () =>
      this.dataSource.transaction(async (manager) => {
        await this.users.lockAdminRole(manager);
        const before = await this.users.findById(id, manager);
        const wasAdmin = hasAdminRole(before);
        const staysAdmin = roleNames.some((name) => name.trim().toLowerCase() === ADMIN_ROLE);
        if (wasAdmin && !staysAdmin) {
          if (callerIsUser(auth, id)) throw AdminErrors.create(AdminErrorCode.CANNOT_REMOVE_OWN_ADMIN_ROLE);
          if (before.isActive) await this.assertOtherActiveAdmin(id, manager);
        }
        const after = await this.users.setRoles(id, roleNames, manager);
        const oldRoles = roleNamesOf(before);
        const newRoles = roleNamesOf(after);
        if (oldRoles.join(' ') === newRoles.join(' ')) return after;
        const kept = new Set(this.users.scopesOf(after));
        const lostScopes = this.users.scopesOf(before).filter((scope) => !kept.has(scope));
        const ended = lostScopes.length > 0 ? await this.endSessions(id, 'roles_changed', manager) : 0;
        await this.record(auth, AdminAuditAction.USER_ROLES_CHANGED, id, manager, {
          changes: { roles: { old: oldRoles, new: newRoles } },
          sessions_ended: ended,
        });
        return after;
      }),
    );
    return this.detailOf(user);
  }

  /** A new one-time password the user must change at its next sign-in; its sessions end. */
  async resetPassword(auth: ScopedCaller, id: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.findById(id, manager);
      const temporaryPassword = this.temporaryPassword(user);
      await this.users.setPassword(id, temporaryPassword, { requireChange: true }, manager);
      const ended = await this.endSessions(id, 'password_reset', manager);
      await this.record(auth, AdminAuditAction.USER_PASSWORD_RESET, id, manager, { sessions_ended: ended });
      return temporaryPassword;
    });
  }

  /** Lifts the sign-in lockout of the user's username and e-mail and forgets their failures. */
  async unlock(auth: ScopedCaller, id: string): Promise<AdminUserDetail> {
    const user = await this.dataSource.transaction(async (manager) => {
      const found = await this.users.findById(id, manager);
      const lock = await this.throttles.lockStateFor(found.id);
      await this.throttles.unlock(found, manager);
      await this.record(auth, AdminAuditAction.USER_UNLOCKED, id, manager, {
        was_locked: lock.locked,
        failed_attempts: lock.failureCount,
      });
      return found;
    });
    return this.detailOf(user);
  }

  /**
   * Deletes the user and all that hangs on it, in one transaction: its sessions are ended
   * first (so clients hear of it by back-channel logout), its provider records and lockout
   * counters go, and the row's delete cascades to sessions, roles, consents and preferences.
   * Audit events keep its id as text: its history stays, under a former user.
   */
  async delete(auth: ScopedCaller, id: string): Promise<void> {
    await this.auditingRefusals(auth, AdminAuditAction.USER_DELETED, id, () => this.deleteUser(auth, id));
  }

  private async deleteUser(auth: ScopedCaller, id: string): Promise<void> {
    if (callerIsUser(auth, id)) throw AdminErrors.create(AdminErrorCode.CANNOT_DELETE_SELF);
    await this.dataSource.transaction(async (manager) => {
      await this.users.lockAdminRole(manager);
      const user = await this.users.findById(id, manager);
      if (user.isActive && hasAdminRole(user)) await this.assertOtherActiveAdmin(id, manager);
      const ended = await this.endSessions(id, 'user_deleted', manager);
      const providerRecords = await this.accountRecords.deleteForAccount(id, manager);
      await this.throttles.unlock(user, manager);
      await this.users.delete(id, manager);
      await this.record(auth, AdminAuditAction.USER_DELETED, id, manager, {
        username: user.username,
        sessions_ended: ended,
        provider_records_deleted: providerRecords,
      });
    });
  }

  async listSessions(id: string, request: SessionPageRequest): Promise<Page<SessionEntity>> {
    await this.users.findById(id);
    return this.sessions.pageForUser(id, request);
  }

  /** Ends every live session of the user; answers how many. */
  async revokeSessions(auth: ScopedCaller, id: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await this.users.findById(id, manager);
      const ended = await this.endSessions(id, 'admin_revoked', manager);
      await this.record(auth, AdminAuditAction.USER_SESSIONS_REVOKED, id, manager, { revoked_count: ended });
      return ended;
    });
  }

  /** Ends one session of the user; another user's session is SESSION_NOT_FOUND. */
  async revokeSession(auth: ScopedCaller, id: string, sessionId: string): Promise<void> {
    await this.users.findById(id);
    await this.sessions.findForUser(id, sessionId);
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.sessions.revoke(sessionId, 'admin_revoked', manager))) return;
      await this.audit.record(
        {
          action: AdminAuditAction.USER_SESSION_REVOKED,
          outcome: 'success',
          actor: callerActor(auth),
          target: { type: 'session', id: sessionId },
          details: { user_id: id },
        },
        manager,
      );
    });
  }

  /**
   * Runs a change; when one of the admin rules refuses it (self, last admin), the attempt is
   * audited as a failure in a transaction of its own (the change's rolled back) and rethrown.
   */
  private async auditingRefusals<T>(
    auth: ScopedCaller,
    action: string,
    userId: string,
    change: () => Promise<T>,
  ): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (error instanceof DomainError && ADMIN_RULES.has(error.code)) {
        await this.audit.record({
          action,
          outcome: 'failure',
          actor: callerActor(auth),
          target: { type: 'user', id: userId },
          details: { code: error.code },
        });
      }
      throw error;
    }
  }

  private async detailOf(user: UserEntity): Promise<AdminUserDetail> {
    const [lock, activeSessionCount] = await Promise.all([
      this.throttles.lockStateFor(user.id),
      this.sessions.countLiveForUser(user.id),
    ]);
    return { user, lock, activeSessionCount };
  }

  /** LAST_ACTIVE_ADMIN when the user is an active admin and no other active admin exists. */
  private async assertNotLastActiveAdmin(id: string, manager: EntityManager): Promise<void> {
    await this.users.lockAdminRole(manager);
    const user = await this.users.findById(id, manager);
    if (user.isActive && hasAdminRole(user)) await this.assertOtherActiveAdmin(id, manager);
  }

  /** Call with the admin role locked. */
  private async assertOtherActiveAdmin(id: string, manager: EntityManager): Promise<void> {
    if ((await this.users.countOtherActiveAdmins(id, manager)) === 0) {
      throw AdminErrors.create(AdminErrorCode.LAST_ACTIVE_ADMIN);
    }
  }

  private endSessions(userId: string, reason: RevokeReason, manager: EntityManager): Promise<number> {
    return this.sessions.revokeAllForUser(userId, reason, manager);
  }

  private temporaryPassword(context: { username: string; email: string }): string {
    const password = generatePassword(this.policy, context);
    // Only a policy no random password can pass gets here; the admin must then set one.
    if (password === undefined) {
      throw CoreErrors.create(
        CoreErrorCode.VALIDATION_FAILED,
        'No generated password satisfies the password policy; set one.',
        {
          errors: [{ field: 'generate_password', code: 'not_possible', message: 'Send a password instead.' }],
        },
      );
    }
    return password;
  }

  private record(
    auth: ScopedCaller,
    action: string,
    userId: string,
    manager: EntityManager,
    details: Record<string, unknown>,
  ): Promise<void> {
    return recordAdminChange(this.audit, manager, {
      auth,
      action,
      target: { type: 'user', id: userId },
      details,
    });
  }
}

/** The refusals worth an audit event: someone tried to lock the admins out, or themselves. */
const ADMIN_RULES = new Set<string>([
  AdminErrorCode.CANNOT_REMOVE_OWN_ADMIN_ROLE,
  AdminErrorCode.CANNOT_DEACTIVATE_SELF,
  AdminErrorCode.CANNOT_DELETE_SELF,
  AdminErrorCode.LAST_ACTIVE_ADMIN,
]);

function assertExactlyOnePassword(input: AdminCreateUserInput): void {
  if ((input.password !== undefined) !== (input.generatePassword === true)) return;
  const message = 'Send either password or generate_password: true, not both and not neither.';
  throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, message, {
    errors: [
      { field: 'password', code: 'exactly_one', message },
      { field: 'generate_password', code: 'exactly_one', message },
    ],
  });
}

function hasAdminRole(user: UserEntity): boolean {
  return user.roles.some((role) => role.name.toLowerCase() === ADMIN_ROLE);
}

function roleNamesOf(user: UserEntity): string[] {
  return user.roles.map((role) => role.name).sort();
}

/** Entity field names to the API's snake_case, values as JSON keeps them. */
function auditChanges(changes: Record<string, FieldChange>): Record<string, FieldChange> {
  return Object.fromEntries(
    Object.entries(changes).map(([field, change]) => [
      field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      change,
    ]),
  );
}
