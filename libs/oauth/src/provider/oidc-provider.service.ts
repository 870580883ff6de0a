import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';
import { SessionsService } from '@portcullis/sessions';
import { UsersService, toOidcClaims } from '@portcullis/users';
import Provider, { type Account } from 'oidc-provider';
import type { DataSource } from 'typeorm';

import { KeyEncryption, resolveKeyEncryptionKey } from '../keys/key-encryption.js';
import { KeysService } from '../keys/keys.service.js';
import { providerPaths } from './oauth-routes.js';
import { createPostgresAdapter, deleteGrants } from './postgres.adapter.js';
import { providerConfiguration } from './provider.configuration.js';

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Owns the oidc-provider instance: keys loaded from the database, records in PostgreSQL,
 * accounts from our users. Ending one of our sessions deletes every token of its grant.
 */
@Injectable()
export class OidcProviderService implements OnModuleInit {
  private readonly logger = new Logger('OidcProvider');
  private instance?: Provider;
  private handler?: NodeHandler;
  readonly paths = providerPaths();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const encryption = new KeyEncryption(await resolveKeyEncryptionKey(this.config));
    await this.keys.initialise(encryption);
    const provider = new Provider(
      this.config.issuer,
      providerConfiguration({
        adapter: createPostgresAdapter(this.dataSource),
        jwks: this.keys.privateJwks(),
        cookieKeys: [encryption.derive('cookies').toString('base64url')],
        apiAudience: this.config.apiAudience,
        accessTokenTtl: this.config.get('ACCESS_TOKEN_TTL'),
        sessionTtl: this.config.get('SESSION_TTL'),
        findAccount: (_ctx, sub) => this.findAccount(sub),
      }),
    );
    provider.proxy = this.config.get('TRUST_PROXY');
    provider.on('server_error', (_ctx, error) => this.logger.error({ err: error }, 'Provider error'));
    this.instance = provider;
    this.handler = provider.callback() as NodeHandler;
    this.sessions.onRevocation((grantIds, manager) =>
      deleteGrants((sql, parameters) => manager.query(sql, parameters), grantIds),
    );
  }

  get provider(): Provider {
    if (!this.instance) throw new Error('The OIDC provider is not initialised yet');
    return this.instance;
  }

  /** Whether a request path belongs to the provider (discovery, token, JWKS...). */
  handles(path: string): boolean {
    return this.paths.has(path);
  }

  /** Hands a raw Node request to the provider's Koa app. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.handler) throw new Error('The OIDC provider is not initialised yet');
    this.handler(request, response);
  }

  private async findAccount(sub: string): Promise<Account | undefined> {
    const user = await this.users.findById(sub).catch(() => undefined);
    if (!user || !user.isActive) return undefined;
    return { accountId: user.id, claims: () => toOidcClaims(user) };
  }
}
