import { isDeepStrictEqual } from 'node:util';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CoreErrorCode, CoreErrors, type DomainError, type FieldError } from '@portcullis/core';
import { CacheInvalidator, primaryPool, uniqueViolationConstraint } from '@portcullis/database';
import { In, type DataSource, type EntityManager } from 'typeorm';

import { LoginThrottleService } from './login-throttle.service.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { PasswordPolicy, passwordPolicyViolation } from './passwords/password-policy.js';
import { RoleEntity } from './role.entity.js';
import { ADMIN_ROLE, USER_ROLE } from './roles.constants.js';
import { identityErrors, normalizeIdentity } from './user-identity.js';
import { UserEntity } from './user.entity.js';
import { userChanged } from './users.cache.js';
import {
  USER_WITH_ROLE_NAMES_QUERY,
  toUserWithRoleNames,
  type UserWithRoleNamesRow,
} from './user-profile.query.js';
import { UsersErrorCode, UsersErrors } from './users.errors.js';
import {
  ACCOUNT_FIELDS,
  PROFILE_CLAIM_FIELDS,
  type AccountPatch,
  type AccountUpdateResult,
  type CreateUserInput,
  type FieldChange,
  type ProfileClaimField,
  type ProfileUpdateResult,
  type SetPasswordOptions,
  type UserProfilePatch,
  type UserWithRoleNames,
} from './users.types.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Users and their passwords. Every write takes an optional EntityManager so the caller can
 * commit the change and its audit event in one transaction. Entities come back with their
 * roles and without the password hash.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly invalidator: CacheInvalidator,
    private readonly throttles: LoginThrottleService,
  ) {}

  /**
   * Creates a user after checking the username, the e-mail and the password policy. A taken
   * username or e-mail is USERNAME_TAKEN / EMAIL_TAKEN, decided by the unique constraints so
   * that concurrent sign-ups cannot both win.
   */
  async create(input: CreateUserInput, manager?: EntityManager): Promise<UserEntity> {
    const em = manager ?? this.dataSource.manager;
    const username = normalizeIdentity(input.username);
    const email = normalizeIdentity(input.email);
    const invalid = identityErrors(username, email);
    if (invalid.length > 0) {
      const fields = [...new Set(invalid.map((error) => error.field))].join(', ');
      throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, `Invalid fields: ${fields}.`, {
        errors: invalid,
      });
    }
    this.policy.assertAcceptable(input.password, { username, email });
    const roles = await this.findRoles(input.roles ?? [USER_ROLE], em);

    const user = em.create(UserEntity, {
      ...pickProfileClaims(input.profile ?? {}),
      username,
      email,
      emailVerified: input.emailVerified ?? false,
      passwordHash: await this.hasher.hash(input.password),
      isActive: input.isActive ?? true,
      requiresPasswordChange: input.requiresPasswordChange ?? false,
      roles,
    });
    try {
      await em.save(user);
    } catch (error) {
      throw takenError(error) ?? error;
    }
    await this.invalidator.afterCommit(em, ...userChanged(user.id));
    return this.findById(user.id, em);
  }

  /** The user with its roles; USER_NOT_FOUND when there is none. */
  async findById(id: string, manager?: EntityManager): Promise<UserEntity> {
    const em = manager ?? this.dataSource.manager;
    const user = UUID_PATTERN.test(id)
      ? // One query (findOne with a relation costs TypeORM two: a DISTINCT probe, then the join).
        await em
          .createQueryBuilder(UserEntity, 'user')
          .leftJoinAndSelect('user.roles', 'role')
          .where('user.id = :id', { id })
          .getOne()
      : null;
    if (!user) throw userNotFound();
    return user;
  }

  /**
   * The user with its role names, for display: one named prepared statement straight on the
   * pool. USER_NOT_FOUND when there is none.
   */
  async findWithRoleNamesById(id: string): Promise<UserWithRoleNames> {
    if (!UUID_PATTERN.test(id)) throw userNotFound();
    const { rows } = await primaryPool(this.dataSource).query<UserWithRoleNamesRow>({
      ...USER_WITH_ROLE_NAMES_QUERY,
      values: [id],
    });
    if (rows.length === 0) throw userNotFound();
    return toUserWithRoleNames(rows[0]);
  }

  /**
   * Changes OIDC standard profile claims only (other fields in the patch are ignored) and
   * tells which really changed, for the audit event.
   */
  async updateProfile(
    id: string,
    patch: UserProfilePatch,
    manager?: EntityManager,
  ): Promise<ProfileUpdateResult> {
    const em = manager ?? this.dataSource.manager;
    const user = await this.findById(id, em);
    const changes = changedClaims(user, pickProfileClaims(patch));
    // A new number has not been verified, unless the same change says so (an administrator's).
    if (
      changes.phoneNumber !== undefined &&
      patch.phoneNumberVerified === undefined &&
      user.phoneNumberVerified
    )
      changes.phoneNumberVerified = false;
    if (Object.keys(changes).length === 0) return { user, changes };
    await em.update(UserEntity, { id: user.id }, changes);
    await this.invalidator.afterCommit(em, ...userChanged(user.id));
    return { user: await this.findById(user.id, em), changes };
  }

  /**
   * The user's own change: the current password must be right (CURRENT_PASSWORD_INCORRECT),
   * the new one must pass the policy and differ from it (errors on `new_password`).
   */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const em = manager ?? this.dataSource.manager;
    const user = await this.findWithPasswordHash(userId, em);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) throw currentPasswordIncorrect();

    const errors = this.policy.check(newPassword, user, 'new_password');
    if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) {
      errors.push({
        field: 'new_password',
        code: 'same_as_current',
        message: 'Choose a password different from the current one.',
      });
    }
    if (errors.length > 0) throw passwordPolicyViolation(errors);

    // Compare-and-set on the old hash: of two concurrent changes, the second finds its
    // "current" password no longer current.
    const { affected } = await em.update(
      UserEntity,
      { id: user.id, passwordHash: user.passwordHash },
      {
        passwordHash: await this.hasher.hash(newPassword),
        passwordChangedAt: () => 'now()',
        requiresPasswordChange: false,
      },
    );
    if (!affected) throw currentPasswordIncorrect();
    await this.invalidator.afterCommit(em, ...userChanged(user.id));
    return this.findById(user.id, em);
  }

  /** An admin's reset: the policy applies; `requireChange` makes the user pick a new one at sign-in. */
  async setPassword(
    userId: string,
    newPassword: string,
    options: SetPasswordOptions,
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const em = manager ?? this.dataSource.manager;
    const user = await this.findById(userId, em);
    this.policy.assertAcceptable(newPassword, user);
    await em.update(
      UserEntity,
      { id: user.id },
      {
        passwordHash: await this.hasher.hash(newPassword),
        passwordChangedAt: () => 'now()',
        requiresPasswordChange: options.requireChange,
      },
    );
    await this.invalidator.afterCommit(em, ...userChanged(user.id));
    return this.findById(user.id, em);
  }

  /**
   * An admin's change to the account: profile claims, username, e-mail and the account flags
   * (only the fields present). Answers the user before and after and each field that really
   * changed, old and new, for the audit event. A taken username or e-mail is a 409.
   */
  async updateAccount(
    id: string,
    patch: AccountPatch,
    manager?: EntityManager,
  ): Promise<AccountUpdateResult> {
    const em = manager ?? this.dataSource.manager;
    const before = await this.findById(id, em);
    const wanted: Record<string, unknown> = { ...pickProfileClaims(patch) };
    for (const field of ACCOUNT_FIELDS) {
      if (patch[field] !== undefined) wanted[field] = patch[field];
    }
    if (typeof wanted.username === 'string') wanted.username = normalizeIdentity(wanted.username);
    if (typeof wanted.email === 'string') wanted.email = normalizeIdentity(wanted.email);
    const invalid = identityErrors(
      (wanted.username as string | undefined) ?? before.username,
      (wanted.email as string | undefined) ?? before.email,
    ).filter((error) => wanted[error.field] !== undefined);
    if (invalid.length > 0) {
      const fields = [...new Set(invalid.map((error) => error.field))].join(', ');
      throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, `Invalid fields: ${fields}.`, {
        errors: invalid,
      });
    }
    const changes: Record<string, FieldChange> = {};
    for (const [field, value] of Object.entries(wanted)) {
      const old = (before as unknown as Record<string, unknown>)[field] ?? null;
      if (!isDeepStrictEqual(old, value)) changes[field] = { old, new: value };
    }
    if (Object.keys(changes).length === 0) return { before, user: before, changes };
    const values = Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.new]));
    try {
      await em.update(UserEntity, { id: before.id }, values);
    } catch (error) {
      throw takenError(error) ?? error;
    }
    await this.invalidator.afterCommit(em, ...userChanged(before.id));
    const user = await this.findById(before.id, em);
    if (changes.username || changes.email) await this.throttles.releaseFormerIdentifiers(user, em);
    return { before, user, changes };
  }

  /** Replaces the user's roles with the named ones (ROLE_NOT_FOUND names any that do not exist). */
  async setRoles(id: string, roleNames: string[], manager?: EntityManager): Promise<UserEntity> {
    const em = manager ?? this.dataSource.manager;
    const user = await this.findById(id, em);
    const roles = await this.findRoles(roleNames, em);
    await em.query(`DELETE FROM user_roles WHERE user_id = $1`, [user.id]);
    if (roles.length > 0) {
      await em.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, unnest($2::uuid[])`, [
        user.id,
        roles.map((role) => role.id),
      ]);
    }
    await this.invalidator.afterCommit(em, ...userChanged(user.id));
    return this.findById(user.id, em);
  }

  /**
   * Deletes the user. Its sessions, role links, consents and preferences go with it (ON DELETE
   * CASCADE); audit events keep its id as text, so its history outlives it.
   */
  async delete(id: string, manager: EntityManager): Promise<void> {
    const user = await this.findById(id, manager);
    await manager.delete(UserEntity, { id: user.id });
    await this.invalidator.afterCommit(manager, ...userChanged(user.id));
  }

  /**
   * Locks the admin role's row until the transaction ends. Every change that could take away
   * the last active admin takes it first, so two such changes are decided one after the other.
   */
  async lockAdminRole(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT id FROM roles WHERE name = $1 FOR UPDATE`, [ADMIN_ROLE]);
  }

  /** Active users holding the admin role, other than `exceptUserId`. */
  async countOtherActiveAdmins(exceptUserId: string, manager?: EntityManager): Promise<number> {
    return (manager ?? this.dataSource.manager)
      .createQueryBuilder(UserEntity, 'user')
      .innerJoin('user.roles', 'role')
      .where('role.name = :role', { role: ADMIN_ROLE })
      .andWhere('user.isActive = true')
      .andWhere('user.id <> :id', { id: exceptUserId })
      .getCount();
  }

  /** The union of the scopes of the user's roles (roles must be loaded), sorted. */
  scopesOf(user: Pick<UserEntity, 'roles'>): string[] {
    return [...new Set((user.roles ?? []).flatMap((role) => role.scopes))].sort();
  }

  async hasActiveAdmin(manager?: EntityManager): Promise<boolean> {
    return (manager ?? this.dataSource.manager)
      .createQueryBuilder(UserEntity, 'user')
      .innerJoin('user.roles', 'role')
      .where('role.name = :role', { role: ADMIN_ROLE })
      .andWhere('user.isActive = true')
      .getExists();
  }

  private async findWithPasswordHash(id: string, em: EntityManager): Promise<UserEntity> {
    const user = UUID_PATTERN.test(id)
      ? await em
          .createQueryBuilder(UserEntity, 'user')
          .addSelect('user.passwordHash')
          .where('user.id = :id', { id })
          .getOne()
      : null;
    if (!user) throw userNotFound();
    return user;
  }

  /** The named roles (case-insensitive); ROLE_NOT_FOUND names any that do not exist. */
  private async findRoles(names: string[], em: EntityManager): Promise<RoleEntity[]> {
    const wanted = [...new Set(names.map((name) => name.trim()))];
    if (wanted.length === 0) return [];
    const roles = await em.find(RoleEntity, { where: { name: In(wanted) } });
    const found = new Set(roles.map((role) => role.name.toLowerCase()));
    const missing = wanted.filter((name) => !found.has(name.toLowerCase()));
    if (missing.length > 0) {
      throw UsersErrors.create(UsersErrorCode.ROLE_NOT_FOUND, `No such role: ${missing.join(', ')}.`);
    }
    return roles;
  }
}

/** The profile claims present in `source`; an address loses its undefined parts. */
function pickProfileClaims(source: UserProfilePatch): UserProfilePatch {
  const claims: Record<string, unknown> = {};
  for (const field of PROFILE_CLAIM_FIELDS) {
    const value = source[field];
    if (value === undefined) continue;
    claims[field] = field === 'address' && value !== null ? withoutUndefined(value as object) : value;
  }
  return claims as UserProfilePatch;
}

function withoutUndefined(value: object): object {
  return Object.fromEntries(Object.entries(value).filter(([, part]) => part !== undefined));
}

function changedClaims(user: UserEntity, claims: UserProfilePatch): UserProfilePatch {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(claims)) {
    if (!isDeepStrictEqual(user[field as ProfileClaimField] ?? null, value)) changes[field] = value;
  }
  return changes as UserProfilePatch;
}

function takenError(error: unknown): DomainError | undefined {
  const taken = (code: UsersErrorCode, field: string, message: string): DomainError =>
    UsersErrors.create(code, message, { errors: [{ field, code: 'taken', message } satisfies FieldError] });
  switch (uniqueViolationConstraint(error)) {
    case 'uq_users_username':
      return taken(UsersErrorCode.USERNAME_TAKEN, 'username', 'This username is already taken.');
    case 'uq_users_email':
      return taken(UsersErrorCode.EMAIL_TAKEN, 'email', 'This e-mail address is already registered.');
    default:
      return undefined;
  }
}

function userNotFound(): DomainError {
  return UsersErrors.create(UsersErrorCode.USER_NOT_FOUND);
}

function currentPasswordIncorrect(): DomainError {
  return UsersErrors.create(UsersErrorCode.CURRENT_PASSWORD_INCORRECT, undefined, {
    errors: [{ field: 'current_password', code: 'incorrect', message: 'The current password is incorrect.' }],
  });
}
