import { isDeepStrictEqual } from 'node:util';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { buildPage, decodeCursor, type Page } from '@portcullis/core';
import { CacheInvalidator, uniqueViolationConstraint } from '@portcullis/database';
import type { DataSource, EntityManager } from 'typeorm';

import { RoleEntity } from './role.entity.js';
import { ADMIN_ROLE } from './roles.constants.js';
import { ROLES_REGION, USERS_REGION } from './users.cache.js';
import { UsersErrorCode, UsersErrors } from './users.errors.js';
import type { FieldChange } from './users.types.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A role and how many users hold it. */
export interface RoleWithUserCount {
  role: RoleEntity;
  userCount: number;
}

export interface RolePageRequest {
  limit: number;
  offset: number;
  cursor?: string;
  order?: 'asc' | 'desc';
}

export interface CreateRoleInput {
  name: string;
  description?: string;
  scopes?: string[];
}

export interface UpdateRoleInput {
  description?: string;
  scopes?: string[];
}

export interface RoleUpdateResult {
  role: RoleEntity;
  changes: Record<string, FieldChange>;
}

type RoleRow = RoleEntity & { userCount: number };

/**
 * Roles: named sets of scopes. A user's scopes are the union of its roles' scopes, read at
 * sign-in (UsersService.scopesOf), so a change here shapes every later login. The scopes'
 * existence is the caller's to check (they live in the OAuth lib). Writes take the caller's
 * EntityManager, so the change and its audit event commit together.
 */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invalidator: CacheInvalidator,
  ) {}

  /** Roles by name, with their user counts, paged by offset or by a name cursor. */
  async page(request: RolePageRequest): Promise<Page<RoleWithUserCount>> {
    const descending = request.order === 'desc';
    const query = this.withUserCount(this.dataSource.manager)
      .orderBy('role.name', descending ? 'DESC' : 'ASC')
      .limit(request.limit + 1);
    if (request.cursor) {
      const { name } = decodeCursor(request.cursor, ['name']);
      query.where(`role.name ${descending ? '<' : '>'} :name`, { name: String(name) });
    } else {
      query.offset(request.offset);
    }
    const [rows, total] = await Promise.all([
      this.rows(query),
      request.cursor ? undefined : this.dataSource.manager.count(RoleEntity),
    ]);
    return buildPage(rows, {
      limit: request.limit,
      offset: request.cursor ? 0 : request.offset,
      total,
      toItem: ({ userCount, ...role }) => ({ role: role as RoleEntity, userCount }),
      cursorOf: (row) => ({ name: row.name }),
    });
  }

  /** The role with its user count; ROLE_NOT_FOUND when there is none. */
  async findById(id: string, manager?: EntityManager): Promise<RoleWithUserCount> {
    const em = manager ?? this.dataSource.manager;
    const [row] = UUID_PATTERN.test(id)
      ? await this.rows(this.withUserCount(em).where('role.id = :id', { id }))
      : [];
    if (!row) throw roleNotFound(id);
    const { userCount, ...role } = row;
    return { role: role as RoleEntity, userCount };
  }

  /** The id of the role with this name (case-insensitive), if there is one. */
  async findIdByName(name: string): Promise<string | undefined> {
    const role = await this.dataSource.manager.findOne(RoleEntity, { select: { id: true }, where: { name } });
    return role?.id;
  }

  async create(input: CreateRoleInput, manager: EntityManager): Promise<RoleEntity> {
    const role = manager.create(RoleEntity, {
      name: input.name,
      description: input.description ?? '',
      scopes: uniqueSorted(input.scopes ?? []),
      isBuiltin: false,
    });
    try {
      await manager.save(role);
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'uq_roles_name') {
        throw UsersErrors.create(UsersErrorCode.ROLE_NAME_TAKEN, `The role ${input.name} already exists.`, {
          errors: [{ field: 'name', code: 'taken', message: 'A role with this name already exists.' }],
        });
      }
      throw error;
    }
    await this.invalidator.afterCommit(manager, ROLES_REGION);
    return manager.findOneByOrFail(RoleEntity, { id: role.id });
  }

  /**
   * Changes the description and scopes (only those sent). The built-in admin role's scopes are
   * the admin API's keys, so they cannot change: that would lock every admin out.
   */
  async update(id: string, input: UpdateRoleInput, manager: EntityManager): Promise<RoleUpdateResult> {
    const { role } = await this.findById(id, manager);
    const wanted: Partial<Pick<RoleEntity, 'description' | 'scopes'>> = {};
    if (input.description !== undefined) wanted.description = input.description;
    if (input.scopes !== undefined) wanted.scopes = uniqueSorted(input.scopes);
    const changes: Record<string, FieldChange> = {};
    for (const [field, value] of Object.entries(wanted)) {
      const old = role[field as keyof typeof wanted];
      const comparable = field === 'scopes' ? uniqueSorted(old as string[]) : old;
      if (!isDeepStrictEqual(comparable, value)) changes[field] = { old, new: value };
    }
    if (changes.scopes && role.name.toLowerCase() === ADMIN_ROLE) {
      throw UsersErrors.create(UsersErrorCode.ROLE_BUILTIN, 'The admin role always holds every admin scope.');
    }
    if (Object.keys(changes).length === 0) return { role, changes };
    await manager.update(
      RoleEntity,
      { id: role.id },
      Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.new])),
    );
    await this.invalidator.afterCommit(manager, ROLES_REGION);
    return { role: await manager.findOneByOrFail(RoleEntity, { id: role.id }), changes };
  }

  /**
   * Deletes a role. Built-in roles cannot go (ROLE_BUILTIN); a role users hold goes only with
   * `force`, which takes it from them (the role links cascade). Answers the users who held it.
   */
  async delete(id: string, options: { force: boolean }, manager: EntityManager): Promise<RoleDeletion> {
    const [locked] = UUID_PATTERN.test(id)
      ? ((await manager.query(`SELECT id FROM roles WHERE id = $1 FOR UPDATE`, [id])) as { id: string }[])
      : [];
    if (!locked) throw roleNotFound(id);
    const role = await manager.findOneByOrFail(RoleEntity, { id });
    if (role.isBuiltin) {
      throw UsersErrors.create(UsersErrorCode.ROLE_BUILTIN, `The role ${role.name} is built in.`);
    }
    const holders = (
      (await manager.query(`SELECT user_id FROM user_roles WHERE role_id = $1`, [id])) as {
        user_id: string;
      }[]
    ).map((row) => row.user_id);
    if (holders.length > 0 && !options.force) {
      throw UsersErrors.create(
        UsersErrorCode.ROLE_IN_USE,
        `${holders.length} user(s) hold the role ${role.name}; delete with force=true to take it from them.`,
      );
    }
    await manager.delete(RoleEntity, { id });
    // Its holders' role lists changed too.
    await this.invalidator.afterCommit(manager, ROLES_REGION, USERS_REGION);
    return { role, holderIds: holders };
  }

  /** The users who hold the role. */
  async holderIds(id: string, manager: EntityManager): Promise<string[]> {
    const rows = (await manager.query(`SELECT user_id FROM user_roles WHERE role_id = $1`, [id])) as {
      user_id: string;
    }[];
    return rows.map((row) => row.user_id);
  }

  private withUserCount(manager: EntityManager) {
    return manager
      .createQueryBuilder(RoleEntity, 'role')
      .addSelect(
        (sub) => sub.select('count(*)::int').from('user_roles', 'ur').where('ur.role_id = role.id'),
        'user_count',
      );
  }

  private async rows(query: ReturnType<RolesService['withUserCount']>): Promise<RoleRow[]> {
    const { entities, raw } = await query.getRawAndEntities<{ user_count: number }>();
    return entities.map((role, index) => Object.assign(role, { userCount: Number(raw[index].user_count) }));
  }
}

export interface RoleDeletion {
  role: RoleEntity;
  /** The users who held the role (and no longer do). */
  holderIds: string[];
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function roleNotFound(id: string) {
  return UsersErrors.create(UsersErrorCode.ROLE_NOT_FOUND, `No role ${id}.`);
}
