import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppCache, type CachePeers } from '@portcullis/core';
import type { DataSource } from 'typeorm';

import { NotificationListener } from './notification-listener.js';

export const CACHE_INVALIDATION_CHANNEL = 'portcullis_cache_invalidated';
/** Under PostgreSQL's 8000-byte payload limit, with room for a region name. */
const MAX_NOTICE_BYTES = 7_000;

/**
 * The peers of an in-memory AppCache: every process on this database (API workers, nodes
 * without Redis) LISTENs for the regions the others invalidated, and NOTIFYs its own. With
 * Redis the store is shared and nothing needs telling.
 */
@Injectable()
export class PostgresCachePeers implements CachePeers, OnModuleInit, OnModuleDestroy {
  private readonly listener: NotificationListener;

  constructor(
    private readonly cache: AppCache,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.listener = new NotificationListener(dataSource, CACHE_INVALIDATION_CHANNEL, {
      notified: (payload) => void this.cache.applyPeerInvalidation(payload.split('\n')),
      listening: () => void this.cache.dropLocalEntries(),
      lost: () => void this.cache.dropLocalEntries(),
    });
  }

  get isListening(): boolean {
    return this.listener.isListening;
  }

  async onModuleInit(): Promise<void> {
    if (!this.cache.enabled || this.cache.shared) return;
    this.cache.connectPeers(this);
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  async publish(regionNames: readonly string[]): Promise<void> {
    for (const payload of notices(regionNames)) await this.listener.notify(payload);
  }
}

/** Region names, one per line, in as few payloads as fit PostgreSQL's limit. */
function notices(regionNames: readonly string[]): string[] {
  const payloads: string[] = [];
  let current = '';
  for (const name of regionNames) {
    if (current && Buffer.byteLength(current) + Buffer.byteLength(name) + 1 > MAX_NOTICE_BYTES) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current}\n${name}` : name;
  }
  if (current) payloads.push(current);
  return payloads;
}
