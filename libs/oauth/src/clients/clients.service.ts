import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, CoreErrorCode, CoreErrors, type Page } from '@portcullis/core';
import { CacheInvalidator, uniqueViolationConstraint } from '@portcullis/database';
import type { DataSource, EntityManager } from 'typeorm';

import { OAuthErrorCode, OAuthErrors } from '../oauth.errors.js';
import { sortedPage } from '../pagination/sorted-page.js';
import { FIRST_PARTY_CLIENT_ID } from '../provider/oauth-routes.js';
import { longestSignedTokenSeconds } from '../keys/keys.service.js';
import { ScopesService } from '../scopes/scopes.service.js';
import type {
  ClientCounts,
  ClientListQuery,
  CreateClientInput,
  CreatedClient,
  UpdateClientInput,
} from './client-input.js';
import { clientMetadataErrors } from './client-rules.js';
import { clientSecretDigest, generateClientSecret } from './client-secret.js';
import { ActiveClientsCache } from './active-clients.cache.js';
import { CLIENTS_REGION } from './clients.cache.js';
import { ClientEntity } from './client.entity.js';
import { type ClientRow, fromClientRow } from './client-row.js';

const DEFAULT_GRANT_TYPES = ['authorization_code', 'refresh_token'];
/** The oidc_payloads model that remembers a deleted client's id while its tokens could live. */
const DELETED_CLIENT = 'DeletedClient';
const DEFAULT_SCOPES = ['openid', 'profile', 'email'];

/**
 * Registered OAuth clients, for the admin API and the CLI; the provider reads them through
 * its adapter (findActiveForProvider). Secrets are generated here, returned once and stored
 * as SHA-256 digests. Every write takes an optional EntityManager for the caller's audit event.
 */
@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scopes: ScopesService,
    private readonly activeClients: ActiveClientsCache,
    private readonly invalidator: CacheInvalidator,
    private readonly config: AppConfig,
  ) {}

  async create(input: CreateClientInput, manager?: EntityManager): Promise<CreatedClient<ClientEntity>> {
    const em = manager ?? this.dataSource.manager;
    const client = em.create(ClientEntity, {
      clientId: input.clientId ?? randomBytes(16).toString('base64url'),
      name: input.name,
      type: input.type,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      grantTypes: input.grantTypes ?? DEFAULT_GRANT_TYPES,
      scopes: input.scopes ?? DEFAULT_SCOPES,
      tokenEndpointAuthMethod:
        input.tokenEndpointAuthMethod ?? (input.type === 'public' ? 'none' : 'client_secret_basic'),
      jwks: input.jwks ?? null,
      skipConsent: input.skipConsent ?? false,
      isActive: input.isActive ?? true,
      accessTokenTtl: input.accessTokenTtl ?? null,
      refreshTokenTtl: input.refreshTokenTtl ?? null,
      idTokenTtl: input.idTokenTtl ?? null,
      backchannelLogoutUri: input.backchannelLogoutUri ?? null,
    });
    await this.assertValid(client);
    if (client.clientId === FIRST_PARTY_CLIENT_ID) {
      // The built-in first-party client is configured statically and would shadow this one.
      throw OAuthErrors.create(
        OAuthErrorCode.CLIENT_ID_TAKEN,
        `The client id ${client.clientId} is reserved.`,
      );
    }
    const secret = usesSecret(client) ? generateClientSecret() : null;
    client.clientSecretDigest = secret ? clientSecretDigest(secret) : null;
    try {
      await em.insert(ClientEntity, client);
    } catch (error) {
      if (uniqueViolationConstraint(error) === 'pk_oauth_clients') {
        throw OAuthErrors.create(
          OAuthErrorCode.CLIENT_ID_TAKEN,
          `The client id ${client.clientId} is taken.`,
        );
      }
      throw error;
    }
    await this.endTokensOfDeletedNamesake(client.clientId, em);
    await this.invalidator.afterCommit(em, CLIENTS_REGION);
    return { client: await this.findById(client.clientId, em), clientSecret: secret };
  }

  list(): Promise<ClientEntity[]> {
    return this.dataSource.getRepository(ClientEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** A page of clients, filtered and sorted as asked (search: substring of the name or the id). */
  page(query: ClientListQuery): Promise<Page<ClientEntity>> {
    const builder = this.dataSource.getRepository(ClientEntity).createQueryBuilder('client');
    if (query.isActive !== undefined)
      builder.andWhere('client.is_active = :isActive', { isActive: query.isActive });
    if (query.type) builder.andWhere('client.type = :type', { type: query.type });
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      builder.andWhere('(client.name ILIKE :pattern OR client.client_id ILIKE :pattern)', { pattern });
    }
    const byId = { column: 'client.client_id', valueOf: (row: ClientEntity) => row.clientId };
    return sortedPage(
      builder,
      query,
      {
        created_at: {
          column: `date_trunc('milliseconds', client.created_at)`,
          valueOf: (row) => row.createdAt.toISOString(),
        },
        updated_at: {
          column: `date_trunc('milliseconds', client.updated_at)`,
          valueOf: (row) => row.updatedAt.toISOString(),
        },
        name: { column: 'client.name', valueOf: (row) => row.name },
        client_id: byId,
      },
      byId,
    );
  }

  /** How many clients there are and how many of them are active, in one pass. */
  async counts(): Promise<ClientCounts> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE is_active)::int AS active FROM oauth_clients`,
    )) as ClientCounts[];
    return row;
  }

  async findById(clientId: string, manager?: EntityManager): Promise<ClientEntity> {
    const client = await (manager ?? this.dataSource.manager).findOneBy(ClientEntity, { clientId });
    if (!client) throw OAuthErrors.create(OAuthErrorCode.CLIENT_NOT_FOUND, `No client ${clientId}.`);
    return client;
  }

  /**
   * An active client with its secret digest, for the provider; undefined for any other. Asked
   * on every protocol request: served from ActiveClientsCache, which every change to the
   * client evicts on every node (a deactivation or a new secret applies at once), else one
   * row by plain SQL.
   */
  findActiveForProvider(clientId: string): Promise<ClientEntity | undefined> {
    return this.activeClients.get(clientId, async () => {
      const rows = (await this.dataSource.query(
        `SELECT * FROM oauth_clients WHERE client_id = $1 AND is_active`,
        [clientId],
      )) as ClientRow[];
      return rows.length === 0 ? undefined : fromClientRow(rows[0]);
    });
  }

  async update(clientId: string, patch: UpdateClientInput, manager?: EntityManager): Promise<ClientEntity> {
    const em = manager ?? this.dataSource.manager;
    const client = await this.findById(clientId, em);
    const changed = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    Object.assign(client, changed);
    await this.assertValid(client);
    const deactivated = patch.isActive === false;
    await em.update(
      ClientEntity,
      { clientId },
      { ...changed, updatedAt: () => 'now()', ...(deactivated ? { tokensRevokedAt: () => 'now()' } : {}) },
    );
    this.activeClients.evict(clientId); // here at once; other nodes on the change notification
    if (deactivated) await this.revokeTokensOf(clientId, em);
    await this.invalidator.afterCommit(em, CLIENTS_REGION);
    return this.findById(clientId, em);
  }

  /** Deactivates (or reactivates) a client; a deactivated one loses every grant and token. */
  setActive(clientId: string, isActive: boolean, manager?: EntityManager): Promise<ClientEntity> {
    return this.update(clientId, { isActive }, manager);
  }

  /** A new secret, returned once; the old one stops working at once. */
  async rotateSecret(clientId: string, manager?: EntityManager): Promise<string> {
    const em = manager ?? this.dataSource.manager;
    const client = await this.findById(clientId, em);
    if (!usesSecret(client)) {
      throw OAuthErrors.create(OAuthErrorCode.INVALID_CLIENT_METADATA, `${clientId} does not use a secret.`);
    }
    const secret = generateClientSecret();
    await em.update(
      ClientEntity,
      { clientId },
      { clientSecretDigest: clientSecretDigest(secret), updatedAt: () => 'now()' },
    );
    this.activeClients.evict(clientId);
    return secret;
  }

  async delete(clientId: string, manager?: EntityManager): Promise<void> {
    const em = manager ?? this.dataSource.manager;
    await this.findById(clientId, em);
    await this.revokeTokensOf(clientId, em);
    await em.delete(ClientEntity, { clientId });
    // Its client_credentials tokens end with it; a new client of the same id must not inherit
    // them: the id is remembered for as long as one of them could live.
    await em.query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at)
       VALUES ($1, $2, '{}', now() + make_interval(secs => $3))
       ON CONFLICT (model, id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
      [DELETED_CLIENT, clientId, longestSignedTokenSeconds(this.config.get('ACCESS_TOKEN_TTL'))],
    );
    this.activeClients.evict(clientId);
    await this.invalidator.afterCommit(em, CLIENTS_REGION);
  }

  private async assertValid(client: ClientEntity): Promise<void> {
    const errors = clientMetadataErrors(client);
    const unknown = await this.scopes.unknownNames(client.scopes);
    if (unknown.length > 0) {
      errors.push({
        field: 'scopes',
        code: 'unknown_scope',
        message: `No such scope: ${unknown.join(', ')}.`,
      });
    }
    if (errors.length > 0) {
      const fields = [...new Set(errors.map((error) => error.field))].join(', ');
      throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, `Invalid fields: ${fields}.`, { errors });
    }
  }

  /**
   * A client created under the id of one deleted while its tokens could still be live ends
   * them, as a deactivation would: their `iat` may fall in the second this client was made.
   */
  private async endTokensOfDeletedNamesake(clientId: string, em: EntityManager): Promise<void> {
    await em.query(
      `WITH namesake AS (DELETE FROM oidc_payloads WHERE model = $1 AND id = $2 RETURNING 1)
       UPDATE oauth_clients SET tokens_revoked_at = now()
        WHERE client_id = $2 AND EXISTS (SELECT 1 FROM namesake)`,
      [DELETED_CLIENT, clientId],
    );
  }

  /**
   * Deletes every grant, code and token of the client. Its client_credentials tokens are not
   * stored: tokensRevokedAt, set with the deactivation, ends them.
   */
  private async revokeTokensOf(clientId: string, em: EntityManager): Promise<void> {
    await em.query(`DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1`, [clientId]);
  }
}

function usesSecret(client: Pick<ClientEntity, 'tokenEndpointAuthMethod'>): boolean {
  return (
    client.tokenEndpointAuthMethod === 'client_secret_basic' ||
    client.tokenEndpointAuthMethod === 'client_secret_post'
  );
}
