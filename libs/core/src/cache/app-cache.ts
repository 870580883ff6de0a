import { randomBytes } from 'node:crypto';

import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Cache } from 'cache-manager';

import { AppConfig } from '../config/app-config.js';
import { CACHE_OPERATION_TIMEOUT_MS } from './cache-store.factory.js';
import { type CacheRegion, type CachedView } from './cache-region.js';

/** After a failed cache operation, how long every read goes straight to the database. */
const OUTAGE_BACKOFF_MS = 5_000;
/** How often invalidations that could not be written are retried while the store is away. */
const INVALIDATION_RETRY_MS = 1_000;

export type CacheHealth = 'disabled' | 'memory' | 'up' | 'down';

/**
 * How the in-memory caches of several processes on one database (API workers, nodes without
 * Redis) hear of each other's invalidations. Provided by libs/database over LISTEN/NOTIFY.
 */
export interface CachePeers {
  /** False while notifications could be missed: then nothing is served from memory. */
  readonly isListening: boolean;
  /** Tells every other process that these regions changed. */
  publish(regionNames: readonly string[]): Promise<void>;
}

/**
 * Read-through cache for values that are expensive to compute and cheap to throw away.
 *
 * Exactness comes from generations, not from TTLs: every key embeds the current generation of
 * each region its view depends on, and `invalidate()` (called after the write commits)
 * replaces generations, so no node that shares the store can read an entry written before the
 * change. A reader that raced the write can only store its stale value under an old
 * generation, where nobody looks.
 *
 * The cache is never needed for an answer: a failed or slow operation (Redis gone) makes
 * reads go to the database for a few seconds, and invalidations that could not be written are
 * retried every second until the store takes them. (Nodes that still reach Redis while this
 * one cannot may serve the old value until then: the window is the outage, not the TTL.)
 *
 * Without Redis each process keeps its own entries, and its peers on the same database
 * (connectPeers) tell it which regions changed elsewhere: it serves from memory only while it
 * hears them, and starts empty each time it begins to hear them again. Another process's
 * change reaches it a notification's delivery after the commit (about a millisecond).
 */
@Injectable()
export class AppCache implements OnModuleDestroy {
  private readonly logger = new Logger(AppCache.name);
  readonly enabled: boolean;
  readonly shared: boolean;
  private unavailableUntil = 0;
  private readonly pendingInvalidations = new Set<string>();
  /** Regions changed here whose notice could not reach the peers yet. */
  private readonly pendingNotices = new Set<string>();
  private retryTimer: NodeJS.Timeout | undefined;
  private peers: CachePeers | undefined;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: AppConfig,
  ) {
    this.enabled = config.get('CACHE_ENABLED');
    this.shared = config.get('REDIS_URL') !== undefined;
    const noteFailure = (event: { error?: unknown }) => {
      if (event.error !== undefined) this.markUnavailable(event.error);
    };
    for (const event of ['get', 'mget', 'set', 'mset', 'del'] as const) this.cache.on(event, noteFailure);
  }

  /**
   * The cached value of `key` in `view`, or `load()`'s result, kept for the view's TTL.
   * `regions` adds data this one entry depends on (such as `user:<id>` for one user's details).
   */
  async getOrLoad<T>(
    view: CachedView,
    key: string,
    load: () => Promise<T>,
    regions: readonly CacheRegion[] = [],
  ): Promise<T> {
    if (!(await this.usable())) return load();
    const generations = await this.generations([...view.regions, ...regions]);
    if (generations === undefined) return load();
    const entryKey = `${view.name}:${generations.join('.')}:${key}`;
    const cached = await this.attempt(() => this.cache.get<string>(entryKey));
    if (typeof cached === 'string') return JSON.parse(cached) as T;

    const value = await load();
    if (value !== undefined) {
      await this.attempt(() => this.cache.set(entryKey, JSON.stringify(value), view.ttlMs));
    }
    return value;
  }

  /**
   * Makes every entry of these regions unreachable, here and on every node sharing the store.
   * Call it after the change has committed.
   */
  async invalidate(...regions: CacheRegion[]): Promise<void> {
    if (!this.enabled) return;
    for (const region of regions) this.pendingInvalidations.add(region.name);
    if (!(await this.flushInvalidations())) this.retryInvalidationsLater();
  }

  /** Makes the in-memory cache of this process hear, and tell, the other processes' changes. */
  connectPeers(peers: CachePeers): void {
    if (!this.shared) this.peers = peers;
  }

  /** Another process changed these regions. */
  async applyPeerInvalidation(regionNames: readonly string[]): Promise<void> {
    await this.attempt(() => this.cache.mset(freshGenerations(regionNames)));
  }

  /**
   * Forgets every entry: while no notice could be heard, another process may have changed
   * what they hold.
   */
  async dropLocalEntries(): Promise<void> {
    if (!this.shared) await this.attempt(() => this.cache.clear());
  }

  /** For the readiness check: whether the shared store answers. */
  async health(): Promise<CacheHealth> {
    if (!this.enabled) return 'disabled';
    if (!this.shared) return 'memory';
    const probe = await this.attempt(() => this.cache.get('health-probe').then(() => true));
    return probe === true && Date.now() >= this.unavailableUntil ? 'up' : 'down';
  }

  onModuleDestroy(): void {
    // The stores are closed by cache-manager's own module.
    clearTimeout(this.retryTimer);
  }

  private async usable(): Promise<boolean> {
    if (!this.enabled || Date.now() < this.unavailableUntil) return false;
    if (this.peers && !this.peers.isListening) return false;
    if (this.pendingInvalidations.size > 0) return this.flushInvalidations();
    return true;
  }

  /**
   * Writes a fresh generation for every pending region, and tells the peers; true when both
   * landed.
   */
  private async flushInvalidations(): Promise<boolean> {
    const names = [...this.pendingInvalidations];
    if (names.length > 0) {
      if ((await this.attempt(() => this.cache.mset(freshGenerations(names)))) === undefined) return false;
      for (const name of names) {
        this.pendingInvalidations.delete(name);
        if (this.peers) this.pendingNotices.add(name);
      }
    }
    return this.noticePeers();
  }

  private async noticePeers(): Promise<boolean> {
    const names = [...this.pendingNotices];
    if (!this.peers || names.length === 0) return true;
    try {
      await this.peers.publish(names);
    } catch (error) {
      this.logger.warn(`Could not tell the other processes of a cache invalidation: ${String(error)}`);
      return false;
    }
    for (const name of names) this.pendingNotices.delete(name);
    return true;
  }

  private retryInvalidationsLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flushInvalidations().then((done) => {
        if (done) this.unavailableUntil = 0;
        else this.retryInvalidationsLater();
      });
    }, INVALIDATION_RETRY_MS);
    this.retryTimer.unref();
  }

  /** The current generation of each region, in order; undefined when the store failed. */
  private async generations(regions: readonly CacheRegion[]): Promise<string[] | undefined> {
    const keys = regions.map((region) => generationKey(region.name));
    const current = keys.length === 0 ? [] : await this.attempt(() => this.cache.mget<string>(keys));
    if (current === undefined || Date.now() < this.unavailableUntil) return undefined;
    const missing = keys.flatMap((key, index) =>
      typeof current[index] === 'string' ? [] : [{ key, value: newGeneration() }],
    );
    if (missing.length > 0) {
      // A missing generation (first use, evicted, store restarted) must not fall back to a
      // fixed value: entries stored under that value before an invalidation would come back.
      await this.attempt(() => this.cache.mset(missing));
      if (Date.now() < this.unavailableUntil) return undefined;
    }
    const fresh = new Map(missing.map((entry) => [entry.key, entry.value]));
    return keys.map((key, index) => current[index] ?? fresh.get(key) ?? '');
  }

  /** Runs one store operation with a deadline; undefined when it failed or took too long. */
  private async attempt<T>(operation: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        this.markUnavailable(new Error(`cache operation took over ${CACHE_OPERATION_TIMEOUT_MS} ms`));
        resolve(undefined);
      }, CACHE_OPERATION_TIMEOUT_MS);
    });
    try {
      return await Promise.race([operation(), deadline]);
    } catch (error) {
      this.markUnavailable(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private markUnavailable(error: unknown): void {
    if (Date.now() >= this.unavailableUntil) {
      this.logger.warn(
        `Cache unavailable, reading from the database for ${OUTAGE_BACKOFF_MS / 1000} s: ${String(
          (error as Error)?.message ?? error,
        )}`,
      );
    }
    this.unavailableUntil = Date.now() + OUTAGE_BACKOFF_MS;
  }
}

function generationKey(regionName: string): string {
  return `generation:${regionName}`;
}

/** New generations for these regions: what was cached under the old ones is unreachable. */
function freshGenerations(regionNames: readonly string[]): { key: string; value: string }[] {
  return regionNames.map((name) => ({ key: generationKey(name), value: newGeneration() }));
}

function newGeneration(): string {
  return randomBytes(6).toString('base64url');
}
