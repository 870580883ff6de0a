import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { uniqueViolationConstraint } from '@portcullis/database';
import { In, type DataSource } from 'typeorm';

import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { ScopeEntity } from './scope.entity.js';

/** A scope name: printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3). */
const SCOPE_NAME = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

type ScopesListener = () => Promise<void> | void;

/**
 * The scopes clients may ask for: the OIDC ones, offline_access, the admin scopes and custom
 * ones with the description the consent page shows. Built-in scopes cannot be changed.
 */
@Injectable()
export class ScopesService {
  private readonly listeners: ScopesListener[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Awaited after a scope is created or deleted here (the provider is rebuilt with it). */
  onChange(listener: ScopesListener): void {
    this.listeners.push(listener);
  }

  list(): Promise<ScopeEntity[]> {
    return this.dataSource.getRepository(ScopeEntity).find({ order: { isBuiltin: 'DESC', name: 'ASC' } });
  }

  /** The named scopes that exist, in the order asked. */
  async findByNames(names: string[]): Promise<ScopeEntity[]> {
    if (names.length === 0) return [];
    const found = await this.dataSource.getRepository(ScopeEntity).findBy({ name: In(names) });
    const byName = new Map(found.map((scope) => [scope.name, scope]));
    return names.flatMap((name) => byName.get(name) ?? []);
  }

  /** SCOPE_NOT_FOUND naming every one of `names` that does not exist. */
  async assertExist(names: string[]): Promise<void> {
    const found = new Set((await this.findByNames(names)).map((scope) => scope.name));
    const missing = names.filter((name) => !found.has(name));
    if (missing.length > 0) {
      throw OAuthErrors.create(OAuthErrorCode.SCOPE_NOT_FOUND, `No such scope: ${missing.join(', ')}.`);
    }
  }

  async create(name: string, description: string): Promise<ScopeEntity> {
    if (!SCOPE_NAME.test(name)) {
      throw OAuthErrors.create(
        OAuthErrorCode.INVALID_CLIENT_METADATA,
        'A scope name is 1 to 128 printable characters without spaces, quotes or backslashes.',
      );
    }
    const repository = this.dataSource.getRepository(ScopeEntity);
    try {
      await repository.insert({ name, description, isBuiltin: false });
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'pk_oauth_scopes') {
        throw OAuthErrors.create(OAuthErrorCode.SCOPE_TAKEN, `The scope ${name} already exists.`);
      }
      throw error;
    }
    await this.changed();
    return repository.findOneByOrFail({ name });
  }

  async delete(name: string): Promise<void> {
    const [scope] = await this.findByNames([name]);
    if (!scope) throw OAuthErrors.create(OAuthErrorCode.SCOPE_NOT_FOUND, `No such scope: ${name}.`);
    if (scope.isBuiltin) throw OAuthErrors.create(OAuthErrorCode.SCOPE_BUILTIN, `${name} is built in.`);
    await this.dataSource.getRepository(ScopeEntity).delete({ name });
    await this.changed();
  }

  private async changed(): Promise<void> {
    for (const listener of this.listeners) await listener();
  }
}
