import KeyvRedis, { createClient } from '@keyv/redis';
import type { CacheModuleOptions } from '@nestjs/cache-manager';
import { Keyv } from 'keyv';

import { type AppConfig } from '../config/app-config.js';
import { BoundedMemoryStore } from './bounded-memory-store.js';

/** How long one Redis command may take before the cache gives up and the caller reads the database. */
export const CACHE_OPERATION_TIMEOUT_MS = 250;

/**
 * KeyvRedis whose disconnect never waits: cache-manager's module closes its stores politely at
 * shutdown, and a polite close waits for a Redis that may never answer again.
 */
class PromptlyClosingKeyvRedis extends KeyvRedis<string> {
  override disconnect(): Promise<void> {
    return super.disconnect(true);
  }
}

/**
 * The cache-manager options for `CacheModule`: Redis through Keyv when REDIS_URL is set, else
 * a bounded in-memory map. The Redis client never queues commands while disconnected and
 * never throws at connect: a Redis outage must cost a request a fast failure, not a hang.
 */
export function cacheStoreOptions(config: AppConfig): CacheModuleOptions {
  const redisUrl = config.get('REDIS_URL');
  if (!redisUrl) {
    const store = new BoundedMemoryStore<unknown>(config.get('CACHE_MAX_ENTRIES'));
    return { stores: [new Keyv({ store, namespace: config.get('CACHE_NAMESPACE') })] };
  }
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
    },
  });
  const store = new PromptlyClosingKeyvRedis(client, {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: 1_000,
  });
  const keyv = new Keyv({ store, namespace: config.get('CACHE_NAMESPACE'), throwOnErrors: true });
  // Errors reach the caller through the rejected promise; the events only need a listener.
  store.on('error', () => undefined);
  keyv.on('error', () => undefined);
  return { stores: [keyv] };
}
