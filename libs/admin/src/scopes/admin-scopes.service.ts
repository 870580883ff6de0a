import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@portcullis/audit';
import type { ScopedCaller } from '@portcullis/auth';
import { DEFAULT_PAGE_SIZE, type Page } from '@portcullis/core';
import { type ScopeEntity, ScopesService } from '@portcullis/oauth';
import type { DataSource, EntityManager } from 'typeorm';

import { AdminOAuthAuditAction } from '../admin-oauth-audit-actions.js';
import type { CreateScopeDto, ScopeListQueryDto, UpdateScopeDto } from './dto/scope.dto.js';
import { recordAdminChange } from '../admin-change.audit.js';

/**
 * Scopes as admins manage them: each change and its audit event in one transaction; the
 * provider learns a new or deleted scope name once the change committed.
 */
@Injectable()
export class AdminScopesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scopes: ScopesService,
    private readonly audit: AuditService,
  ) {}

  list(query: ScopeListQueryDto): Promise<Page<ScopeEntity>> {
    const sort = query.sort ?? 'name';
    return this.scopes.page({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
      cursor: query.cursor,
      sort,
      order: query.order ?? (sort === 'name' ? 'asc' : 'desc'),
      isBuiltin: query.is_builtin,
      search: query.search,
    });
  }

  get(name: string): Promise<ScopeEntity> {
    return this.scopes.findByName(name);
  }

  async create(auth: ScopedCaller, dto: CreateScopeDto): Promise<ScopeEntity> {
    const scope = await this.dataSource.transaction(async (manager) => {
      const created = await this.scopes.create(dto.name, dto.description ?? '', manager);
      await this.record(manager, auth, AdminOAuthAuditAction.SCOPE_CREATED, created.name, {
        description: created.description,
      });
      return created;
    });
    await this.scopes.notifyChanged();
    return scope;
  }

  update(auth: ScopedCaller, name: string, dto: UpdateScopeDto): Promise<ScopeEntity> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.scopes.findByName(name, manager);
      const after = await this.scopes.updateDescription(name, dto.description, manager);
      if (before.description !== after.description) {
        await this.record(manager, auth, AdminOAuthAuditAction.SCOPE_UPDATED, name, {
          changes: { description: { old: before.description, new: after.description } },
        });
      }
      return after;
    });
  }

  /** Deletes a custom scope and takes it away from the clients and consents that had it. */
  async delete(auth: ScopedCaller, name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const deleted = await this.scopes.delete(name, manager);
      await this.record(manager, auth, AdminOAuthAuditAction.SCOPE_DELETED, name, {
        description: deleted.scope.description,
        removed_from_clients: deleted.removedFromClients,
      });
    });
    await this.scopes.notifyChanged();
  }

  private record(
    manager: EntityManager,
    auth: ScopedCaller,
    action: string,
    name: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return recordAdminChange(this.audit, manager, {
      auth,
      action,
      target: { type: 'scope', id: name },
      details,
    });
  }
}
