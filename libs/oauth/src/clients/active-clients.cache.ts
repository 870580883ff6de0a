import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';

import type { ClientEntity } from './client.entity.js';

/** A safety net only: a change evicts an entry at once through the notification. */
const ENTRY_TTL_MS = 60_000;
const RECONNECT_DELAY_MS = 2_000;
export const CLIENT_CHANGE_CHANNEL = 'oauth_clients_changed';

/**
 * Active clients in memory, so the token endpoint reads no row per request. Correct across
 * nodes: a trigger notifies every change of oauth_clients on commit (migration
 * 1764400000000) and each node LISTENs on a connection of its own and evicts the client.
 * Without that connection (not yet up, lost) nothing is cached and every lookup reads
 * PostgreSQL. A read that overlaps a change, or that began before the node was listening, is
 * not cached (generation check), so an entry never outlives the notification of the change
 * that made it stale.
 */
@Injectable()
export class ActiveClientsCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ActiveClientsCache.name);
  private readonly entries = new Map<string, { client: ClientEntity; until: number }>();
  private generation = 0;
  private connection?: pg.Client;
  private listening = false;
  private stopped = false;
  private reconnect?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.listening = false;
    await this.connection?.end().catch(() => undefined);
  }

  /** The cached client, else `load()`'s (cached when found and nothing changed meanwhile). */
  async get(
    clientId: string,
    load: () => Promise<ClientEntity | undefined>,
  ): Promise<ClientEntity | undefined> {
    const cached = this.entries.get(clientId);
    if (cached && cached.until > Date.now()) return cached.client;
    const generation = this.generation;
    const client = await load();
    if (client && this.listening && generation === this.generation) {
      this.entries.set(clientId, { client, until: Date.now() + ENTRY_TTL_MS });
    }
    return client;
  }

  evict(clientId: string): void {
    this.generation++;
    this.entries.delete(clientId);
  }

  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url || this.stopped) return;
    const connection = new pg.Client({ connectionString: url });
    this.connection = connection;
    connection.on('notification', (message) => {
      if (message.payload) this.evict(message.payload);
    });
    connection.on('error', (error) => this.lost(connection, error));
    connection.on('end', () => this.lost(connection));
    try {
      await connection.connect();
      await connection.query(`LISTEN ${CLIENT_CHANGE_CHANNEL}`);
      this.listening = connection === this.connection && !this.stopped;
      // A read that began before this point may hold a change whose notification no one heard.
      if (this.listening) this.generation++;
    } catch (error) {
      this.lost(connection, error);
    }
  }

  private lost(connection: pg.Client, error?: unknown): void {
    if (connection !== this.connection) return; // already handled
    this.connection = undefined;
    this.listening = false;
    this.generation++;
    this.entries.clear();
    void connection.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(
      `Client change notifications lost (${String(error ?? 'connection ended')}); reading clients uncached`,
    );
    this.reconnect = setTimeout(() => void this.listen(), RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}
