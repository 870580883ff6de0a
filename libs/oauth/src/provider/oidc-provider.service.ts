import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@portcullis/core';
import { SessionsService } from '@portcullis/sessions';
import { UsersService, toOidcClaims } from '@portcullis/users';
import Provider, { type Account } from 'oidc-provider';
import type { DataSource } from 'typeorm';

import { BrowserSessionsService } from '../browser-sessions/browser-sessions.service.js';
import { compareClientSecretsByDigest } from '../clients/client-secret-authentication.js';
import { ClientTokens } from '../clients/client-tokens.js';
import { ClientsService } from '../clients/clients.service.js';
import { GrantLoader } from '../grants/grant-loader.js';
import { KeyEncryption, resolveKeyEncryptionKey } from '../keys/key-encryption.js';
import { type KeyRotationHook, KeysService } from '../keys/keys.service.js';
import { ScopesService } from '../scopes/scopes.service.js';
import { alwaysIncludeSid } from './always-include-sid.js';
import { OAUTH_ROUTES, PROVIDER_RESUME_PREFIXES, providerPaths } from './oauth-routes.js';
import { deleteGrants } from './postgres.adapter.js';
import { createProviderAdapter } from './provider-adapter.js';
import { storeJwtAccessTokens } from './stored-jwt-access-tokens.js';
import { withStructuredTokenPrefixed } from './structured-token-lookup.js';
import { providerConfiguration } from './provider.configuration.js';
import { ProviderRequestWrites } from './provider-request-writes.js';
import { mapTokenErrors } from './token-error-mapping.js';

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;
type BuildListener = (provider: Provider) => void;

const KEY_SYNC_INTERVAL_MS = 30_000;

/**
 * Owns the oidc-provider instance: keys loaded from the database, clients, scopes and records
 * in PostgreSQL, accounts from our users. Ending one of our sessions deletes every token of
 * its grant. The instance is rebuilt when the signing key or the scopes change; whatever
 * hooks into it (events, middleware) registers with onBuild and is applied to every instance.
 */
@Injectable()
export class OidcProviderService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('OidcProvider');
  private readonly buildListeners: BuildListener[] = [];
  private instance?: Provider;
  private handler?: NodeHandler;
  private encryption?: KeyEncryption;
  private keySync?: NodeJS.Timeout;
  private builtWithScopes = '';
  readonly paths = providerPaths();
  /** Parsed once: handle() sets it on every request. */
  private readonly issuerHost: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly keys: KeysService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly clientTokens: ClientTokens,
    private readonly scopes: ScopesService,
    private readonly grants: GrantLoader,
    private readonly browserSessions: BrowserSessionsService,
    private readonly requestWrites: ProviderRequestWrites,
  ) {
    this.issuerHost = new URL(config.issuer).host;
  }

  async onModuleInit(): Promise<void> {
    this.encryption = new KeyEncryption(await resolveKeyEncryptionKey(this.config));
    await this.keys.initialise(this.encryption);
    await this.build();
    this.sessions.onRevocation((grantIds, manager) =>
      deleteGrants((sql, parameters) => manager.query(sql, parameters), grantIds),
    );
    this.scopes.onChange(() => this.rebuild('Scopes changed'));
    // Another node may rotate the signing key or change the scopes: pick them up without a restart.
    this.keySync = setInterval(() => void this.syncKeys(), KEY_SYNC_INTERVAL_MS);
    this.keySync.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.keySync);
  }

  /** Applies `listener` to the current provider instance and to every one built later. */
  onBuild(listener: BuildListener): void {
    this.buildListeners.push(listener);
    if (this.instance) {
      listener(this.instance);
      // Koa composes its middleware when the callback is made: make it again.
      this.handler = this.instance.callback() as NodeHandler;
    }
  }

  /**
   * Rotates the signing key and starts signing with the new one here at once (other nodes
   * within KEY_SYNC_INTERVAL_MS). `hook` runs in the rotation's transaction.
   */
  async rotateKeys(hook?: KeyRotationHook): Promise<string> {
    const kid = await this.keys.rotate(hook);
    await this.build();
    return kid;
  }

  /**
   * Rebuilds the provider when the active key (the keystore is fixed per instance) or the
   * scopes changed on another node.
   */
  async syncKeys(): Promise<void> {
    try {
      if (await this.keys.activeKeyChanged()) {
        await this.keys.reload();
        await this.build();
        this.logger.log('Signing key changed on another node: now signing with the new one');
      } else if ((await this.scopeNames()).join(' ') !== this.builtWithScopes) {
        await this.build();
        this.logger.log('Scopes changed on another node: provider rebuilt');
      }
    } catch (error) {
      this.logger.warn(`Could not check the signing keys: ${String(error)}`);
    }
  }

  /** A secret derived from KEY_ENCRYPTION_KEY for another purpose (e.g. CSRF tokens). */
  deriveSecret(purpose: string): Buffer {
    if (!this.encryption) throw new Error('The OIDC provider is not initialised yet');
    return this.encryption.derive(purpose);
  }

  private async scopeNames(): Promise<string[]> {
    return (await this.scopes.list()).map((scope) => scope.name);
  }

  private async rebuild(reason: string): Promise<void> {
    try {
      await this.build();
      this.logger.log(`${reason}: provider rebuilt`);
    } catch (error) {
      this.logger.error(`Could not rebuild the provider: ${String(error)}`);
    }
  }

  /** A new provider instance over the current key set; requests in flight finish on the old one. */
  private async build(): Promise<void> {
    const encryption = this.encryption!;
    const scopes = await this.scopeNames();
    this.builtWithScopes = scopes.join(' ');
    const provider = new Provider(
      this.config.issuer,
      providerConfiguration({
        adapter: createProviderAdapter(
          this.dataSource,
          this.keys,
          this.clients,
          this.clientTokens,
          this.requestWrites,
          this.config.issuer,
        ),
        jwks: this.keys.signingKeys(),
        cookieKeys: [encryption.derive('cookies').toString('base64url')],
        apiAudience: this.config.apiAudience,
        accessTokenTtl: this.config.get('ACCESS_TOKEN_TTL'),
        sessionTtl: this.config.get('SESSION_TTL'),
        findAccount: (_ctx, sub) => this.findAccount(sub),
        scopes,
        loadExistingGrant: (ctx) => this.grants.load(ctx),
        browserSessionEnded: (ctx) => this.browserSessions.ended(ctx),
        allowPrivateNetworkRequests: this.config.get('NODE_ENV') !== 'production',
      }),
    );
    provider.proxy = this.config.get('TRUST_PROXY');
    // First, so outermost: it commits what every later step deferred (records, audit events).
    provider.use(this.requestWrites.middleware());
    compareClientSecretsByDigest(provider);
    mapTokenErrors(provider);
    alwaysIncludeSid(provider);
    storeJwtAccessTokens(provider);
    provider.on('server_error', (_ctx, error) => this.logger.error({ err: error }, 'Provider error'));
    for (const listener of this.buildListeners) listener(provider);
    this.instance = provider;
    this.handler = provider.callback() as NodeHandler;
  }

  get provider(): Provider {
    if (!this.instance) throw new Error('The OIDC provider is not initialised yet');
    return this.instance;
  }

  /**
   * Whether a request belongs to the provider (discovery, token, JWKS, resume...). PUT
   * userinfo is ours (UserinfoUpdateController), the provider only reads.
   */
  handles(path: string, method?: string): boolean {
    if (method === 'PUT' && path === OAUTH_ROUTES.userinfo) return false;
    return this.paths.has(path) || PROVIDER_RESUME_PREFIXES.some((prefix) => isUidUnder(path, prefix));
  }

  /**
   * Hands a raw Node request to the provider's Koa app. The provider builds its endpoint URLs
   * (discovery, redirects) from the request's host; they must be the issuer's, whatever Host
   * or X-Forwarded-Host a client sent. Introspection and revocation first get a JWT token
   * parameter marked, so that the provider looks it up (structured-token-lookup.ts).
   */
  handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.handler) throw new Error('The OIDC provider is not initialised yet');
    request.headers.host = this.issuerHost;
    delete request.headers['x-forwarded-host'];
    const path = request.url?.split('?', 1)[0];
    if (
      request.method === 'POST' &&
      (path === OAUTH_ROUTES.introspection || path === OAUTH_ROUTES.revocation)
    ) {
      withStructuredTokenPrefixed(request).then(
        (prefixed) => this.handler!(prefixed, response),
        () => response.destroy(), // the client went away mid-body
      );
      return;
    }
    this.handler(request, response);
  }

  private async findAccount(sub: string): Promise<Account | undefined> {
    const user = await this.users.findById(sub).catch(() => undefined);
    if (!user || !user.isActive) return undefined;
    return { accountId: user.id, claims: () => toOidcClaims(user) };
  }
}

/** `prefix` followed by exactly one more path segment. */
function isUidUnder(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes('/');
}
