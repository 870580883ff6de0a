import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@portcullis/audit';
import type { ScopedCaller } from '@portcullis/auth';
import { DEFAULT_PAGE_SIZE, type Page } from '@portcullis/core';
import {
  ClientsService,
  type ClientEntity,
  type CreateClientInput,
  type UpdateClientInput,
} from '@portcullis/oauth';
import type { DataSource, EntityManager } from 'typeorm';

import { AdminOAuthAuditAction } from '../admin-oauth-audit-actions.js';
import { fieldChanges } from '../shared/field-changes.js';
import type { ClientListQueryDto } from './dto/client-list-query.dto.js';
import type { CreateClientDto } from './dto/create-client.dto.js';
import type { UpdateClientDto } from './dto/update-client.dto.js';
import { recordAdminChange } from '../admin-change.audit.js';

/** The API's names of a client's settings and the entity's. */
const CLIENT_FIELDS = {
  name: 'name',
  redirect_uris: 'redirectUris',
  post_logout_redirect_uris: 'postLogoutRedirectUris',
  grant_types: 'grantTypes',
  scopes: 'scopes',
  token_endpoint_auth_method: 'tokenEndpointAuthMethod',
  jwks: 'jwks',
  skip_consent: 'skipConsent',
  is_active: 'isActive',
  access_token_ttl: 'accessTokenTtl',
  refresh_token_ttl: 'refreshTokenTtl',
  id_token_ttl: 'idTokenTtl',
  backchannel_logout_uri: 'backchannelLogoutUri',
} as const satisfies Record<string, keyof UpdateClientInput & keyof ClientEntity>;

type ClientField = keyof typeof CLIENT_FIELDS;

/**
 * Clients as admins manage them: ClientsService's rules, each change and its audit event
 * (actor, changed fields with old and new values, never a secret) in one transaction.
 * Clients are identified by their client_id, as ClientsService and the protocol know them.
 */
@Injectable()
export class AdminClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  /** Newest first by default; names and ids sort ascending unless asked otherwise. */
  list(query: ClientListQueryDto): Promise<Page<ClientEntity>> {
    const sort = query.sort ?? 'created_at';
    return this.clients.page({
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
      cursor: query.cursor,
      sort,
      order: query.order ?? (sort.endsWith('_at') ? 'desc' : 'asc'),
      isActive: query.is_active,
      type: query.type,
      search: query.search,
    });
  }

  get(clientId: string): Promise<ClientEntity> {
    return this.clients.findById(clientId);
  }

  /** Registers a client; the secret (confidential clients) is in the result and nowhere else. */
  create(
    auth: ScopedCaller,
    dto: CreateClientDto,
  ): Promise<{ client: ClientEntity; clientSecret: string | null }> {
    return this.dataSource.transaction(async (manager) => {
      const created = await this.clients.create(
        {
          clientId: dto.client_id,
          type: dto.type,
          ...toClientInput(dto),
          name: dto.name,
        } as CreateClientInput,
        manager,
      );
      const settings = fieldChanges({} as ClientEntity, created.client, CLIENT_FIELDS);
      await this.record(manager, auth, AdminOAuthAuditAction.CLIENT_CREATED, created.client.clientId, {
        type: created.client.type,
        settings: Object.fromEntries(Object.entries(settings).map(([field, change]) => [field, change.new])),
      });
      return created;
    });
  }

  /** Changes only the fields sent; deactivating revokes every grant and token of the client. */
  update(auth: ScopedCaller, clientId: string, dto: UpdateClientDto): Promise<ClientEntity> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.clients.findById(clientId, manager);
      const after = await this.clients.update(clientId, toClientInput(dto), manager);
      const changes = fieldChanges(before, after, CLIENT_FIELDS);
      if (Object.keys(changes).length > 0) {
        await this.record(manager, auth, AdminOAuthAuditAction.CLIENT_UPDATED, clientId, { changes });
      }
      return after;
    });
  }

  /** Deletes the client with every provider record of it (grants, codes, tokens) and its consents. */
  delete(auth: ScopedCaller, clientId: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.findById(clientId, manager);
      await this.clients.delete(clientId, manager);
      await this.record(manager, auth, AdminOAuthAuditAction.CLIENT_DELETED, clientId, {
        name: client.name,
        type: client.type,
      });
    });
  }

  /** A new secret, answered once; the old one stops working at once on every node. */
  rotateSecret(auth: ScopedCaller, clientId: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const secret = await this.clients.rotateSecret(clientId, manager);
      await this.record(manager, auth, AdminOAuthAuditAction.CLIENT_SECRET_ROTATED, clientId, {});
      return secret;
    });
  }

  private record(
    manager: EntityManager,
    auth: ScopedCaller,
    action: string,
    clientId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    return recordAdminChange(this.audit, manager, {
      auth,
      action,
      target: { type: 'client', id: clientId },
      details,
    });
  }
}

/** The fields the body sent, under the entity's names; left-out fields stay undefined. */
function toClientInput(dto: Partial<Record<ClientField, unknown>>): UpdateClientInput {
  const input: Record<string, unknown> = {};
  for (const [field, property] of Object.entries(CLIENT_FIELDS)) {
    const value = dto[field as ClientField];
    if (value !== undefined) input[property] = value;
  }
  return input as UpdateClientInput;
}
