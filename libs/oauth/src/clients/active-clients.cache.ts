import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotificationListener } from '@portcullis/database';
import type { DataSource } from 'typeorm';

import type { ClientEntity } from './client.entity.js';

/** A safety net only: a change evicts an entry at once through the notification. */
const ENTRY_TTL_MS = 60_000;
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
  private readonly entries = new Map<string, { client: ClientEntity; until: number }>();
  private generation = 0;
  private readonly changes: NotificationListener;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.changes = new NotificationListener(dataSource, CLIENT_CHANGE_CHANNEL, {
      notified: (clientId) => this.evict(clientId),
      // A read that began before this point may hold a change whose notification no one heard.
      listening: () => this.generation++,
      lost: () => {
        this.generation++;
        this.entries.clear();
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.changes.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.changes.stop();
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
    if (client && this.changes.isListening && generation === this.generation) {
      this.entries.set(clientId, { client, until: Date.now() + ENTRY_TTL_MS });
    }
    return client;
  }

  evict(clientId: string): void {
    this.generation++;
    this.entries.delete(clientId);
  }
}
