import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CoreErrorCode, CoreErrors, type Page } from '@portcullis/core';
import { uniqueViolationConstraint } from '@portcullis/database';
import { In, type DataSource, type EntityManager } from 'typeorm';

import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { sortedPage } from '../pagination/sorted-page.js';
import { ScopeEntity } from './scope.entity.js';
import type { DeletedScope, ScopeListQuery } from './scope-input.js';

/** A scope name: printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3). */
export const SCOPE_NAME = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
/** Admin scopes are granted through roles only; a custom scope may not pose as one. */
export const RESERVED_SCOPE_PREFIX = 'admin:';

type ScopesListener = () => Promise<void> | void;

/**
 * The scopes clients may ask for: the OIDC ones, offline_access, the admin scopes and custom
 * ones with the description the consent page shows. Built-in scopes cannot be changed.
 *
 * Writes take an optional EntityManager. Without one they commit on their own and tell the
 * listeners (the provider is rebuilt with the new scope set); with one, the caller commits
 * and then calls notifyChanged(), since the listeners read the committed scopes.
 */
@Injectable()
export class ScopesService {
  private readonly listeners: ScopesListener[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Awaited after the set of scope names changed (the provider is rebuilt with it). */
  onChange(listener: ScopesListener): void {
    this.listeners.push(listener);
  }

  list(): Promise<ScopeEntity[]> {
    return this.dataSource.getRepository(ScopeEntity).find({ order: { isBuiltin: 'DESC', name: 'ASC' } });
  }

  /** A page of scopes, filtered and sorted as asked (search: substring of the name or description). */
  page(query: ScopeListQuery): Promise<Page<ScopeEntity>> {
    const builder = this.dataSource.getRepository(ScopeEntity).createQueryBuilder('scope');
    if (query.isBuiltin !== undefined) {
      builder.andWhere('scope.is_builtin = :isBuiltin', { isBuiltin: query.isBuiltin });
    }
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      builder.andWhere('(scope.name ILIKE :pattern OR scope.description ILIKE :pattern)', { pattern });
    }
    const byName = { column: 'scope.name', valueOf: (row: ScopeEntity) => row.name };
    return sortedPage(
      builder,
      query,
      {
        name: byName,
        created_at: {
          column: `date_trunc('milliseconds', scope.created_at)`,
          valueOf: (row) => row.createdAt.toISOString(),
        },
      },
      byName,
    );
  }

  /** The named scopes that exist, in the order asked. */
  async findByNames(names: string[], manager?: EntityManager): Promise<ScopeEntity[]> {
    if (names.length === 0) return [];
    const found = await (manager ?? this.dataSource.manager).findBy(ScopeEntity, { name: In(names) });
    const byName = new Map(found.map((scope) => [scope.name, scope]));
    return names.flatMap((name) => byName.get(name) ?? []);
  }

  async findByName(name: string, manager?: EntityManager): Promise<ScopeEntity> {
    const [scope] = await this.findByNames([name], manager);
    if (!scope) throw OAuthErrors.create(OAuthErrorCode.SCOPE_NOT_FOUND, `No such scope: ${name}.`);
    return scope;
  }

  /** Those of `names` that are not scopes. */
  async unknownNames(names: string[]): Promise<string[]> {
    const found = new Set((await this.findByNames(names)).map((scope) => scope.name));
    return names.filter((name) => !found.has(name));
  }

  /** SCOPE_NOT_FOUND naming every one of `names` that does not exist. */
  async assertExist(names: string[]): Promise<void> {
    const missing = await this.unknownNames(names);
    if (missing.length > 0) {
      throw OAuthErrors.create(OAuthErrorCode.SCOPE_NOT_FOUND, `No such scope: ${missing.join(', ')}.`);
    }
  }

  async create(name: string, description: string, manager?: EntityManager): Promise<ScopeEntity> {
    assertScopeName(name);
    const em = manager ?? this.dataSource.manager;
    try {
      await em.insert(ScopeEntity, { name, description, isBuiltin: false });
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'pk_oauth_scopes') {
        throw OAuthErrors.create(OAuthErrorCode.SCOPE_TAKEN, `The scope ${name} already exists.`);
      }
      throw error;
    }
    if (!manager) await this.notifyChanged();
    return this.findByName(name, em);
  }

  /** Changes a custom scope's description (what the consent page shows); the name is its identity. */
  async updateDescription(name: string, description: string, manager?: EntityManager): Promise<ScopeEntity> {
    const em = manager ?? this.dataSource.manager;
    const scope = await this.findByName(name, em);
    if (scope.isBuiltin) throw OAuthErrors.create(OAuthErrorCode.SCOPE_BUILTIN, `${name} is built in.`);
    await em.update(ScopeEntity, { name }, { description });
    return this.findByName(name, em);
  }

  /**
   * Deletes a custom scope and takes it away from every client that may ask for it and from
   * every remembered consent, in the same transaction; answers the clients it was taken from.
   * Tokens already issued with it keep it until they expire.
   */
  async delete(name: string, manager?: EntityManager): Promise<DeletedScope> {
    if (!manager) {
      const deleted = await this.dataSource.transaction((em) => this.delete(name, em));
      await this.notifyChanged();
      return deleted;
    }
    const scope = await this.findByName(name, manager);
    if (scope.isBuiltin) throw OAuthErrors.create(OAuthErrorCode.SCOPE_BUILTIN, `${name} is built in.`);
    const [clients] = (await manager.query(
      `UPDATE oauth_clients SET scopes = array_remove(scopes, $1), updated_at = now()
        WHERE $1 = ANY(scopes) RETURNING client_id`,
      [name],
    )) as [{ client_id: string }[], number];
    await manager.query(
      `UPDATE oauth_consents SET scopes = array_remove(scopes, $1), updated_at = now() WHERE $1 = ANY(scopes)`,
      [name],
    );
    await manager.delete(ScopeEntity, { name });
    return { scope, removedFromClients: clients.map((row) => row.client_id).sort() };
  }

  /** Tells the listeners that the scope names changed; call it after the change committed. */
  async notifyChanged(): Promise<void> {
    for (const listener of this.listeners) await listener();
  }
}

function assertScopeName(name: string): void {
  const invalid = !SCOPE_NAME.test(name);
  if (invalid || name.startsWith(RESERVED_SCOPE_PREFIX)) {
    throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'Invalid fields: name.', {
      errors: [
        invalid
          ? {
              field: 'name',
              code: 'invalid',
              message: 'A scope name is 1 to 128 printable characters without spaces, quotes or backslashes.',
            }
          : {
              field: 'name',
              code: 'reserved',
              message: `Names starting with ${RESERVED_SCOPE_PREFIX} are reserved.`,
            },
      ],
    });
  }
}
