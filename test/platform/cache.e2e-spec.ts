import { AppCache, defineCacheRegion, defineCachedView } from '@portcullis/core';
import { CacheInvalidator } from '@portcullis/database';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  TEST_REDIS_URL,
  redisAvailable,
  redisCacheEnvironment,
  unreachableRedisUrl,
} from '../helpers/redis.js';
import { PostgresCachePeers } from '../../libs/database/src/cache-peers.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { startTestApp, startTwoNodes, type TestApp } from '../helpers/test-app.js';

const region = defineCacheRegion('test.values');
const view = defineCachedView('test.view', 60, [region]);

/** A loader that answers `value` and counts how often the cache had to call it. */
function counting<T>(value: T) {
  return vi.fn(async () => value);
}

describe('AppCache in memory', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('should answer from the cache until the region is invalidated', async () => {
    const sut = app.app.get(AppCache);
    const first = counting({ name: 'first' });
    expect(await sut.getOrLoad(view, 'k', first)).toEqual({ name: 'first' });
    expect(await sut.getOrLoad(view, 'k', first)).toEqual({ name: 'first' });
    expect(first).toHaveBeenCalledTimes(1);

    await sut.invalidate(region);
    const second = counting({ name: 'second' });
    expect(await sut.getOrLoad(view, 'k', second)).toEqual({ name: 'second' });
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('should drop only the entries that depend on an invalidated entry region', async () => {
    const sut = app.app.get(AppCache);
    const one = defineCacheRegion('test.item:1');
    const two = defineCacheRegion('test.item:2');
    await sut.getOrLoad(view, 'item-1', counting('one, before'), [one]);
    await sut.getOrLoad(view, 'item-2', counting('two, before'), [two]);

    await sut.invalidate(one);
    expect(await sut.getOrLoad(view, 'item-1', counting('one, after'), [one])).toBe('one, after');
    expect(await sut.getOrLoad(view, 'item-2', counting('two, after'), [two])).toBe('two, before');
  });

  it('should invalidate after the transaction commits, and not on rollback', async () => {
    const sut = app.app.get(AppCache);
    const invalidator = app.app.get(CacheInvalidator);
    const dataSource = app.app.get(DataSource);
    await sut.getOrLoad(view, 'tx', counting('before'));

    await dataSource.transaction(async (manager) => {
      await invalidator.afterCommit(manager, region);
      // Not yet: a reader now must still see what was committed before.
      expect(await sut.getOrLoad(view, 'tx', counting('too early'))).toBe('before');
    });
    expect(await sut.getOrLoad(view, 'tx', counting('after commit'))).toBe('after commit');

    await dataSource
      .transaction(async (manager) => {
        await invalidator.afterCommit(manager, region);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await sut.getOrLoad(view, 'tx', counting('after rollback'))).toBe('after commit');
  });

  it('should report the in-memory store as ready', async () => {
    const response = await app.http.get('/health/ready').expect(200);
    expect(response.body.details.cache).toEqual({ status: 'up', store: 'memory' });
  });
});

describe('AppCache in memory on two processes sharing a database', () => {
  // API workers, or nodes without Redis: each keeps its own entries.
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    [first, second] = await startTwoNodes();
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it("should drop an entry another process's change made stale", async () => {
    const onFirst = first.app.get(AppCache);
    const onSecond = second.app.get(AppCache);
    expect(await onSecond.getOrLoad(view, 'peer', counting('v1'))).toBe('v1');
    expect(await onSecond.getOrLoad(view, 'peer', counting('not read'))).toBe('v1');

    await onFirst.invalidate(region);
    await vi.waitFor(async () => {
      expect(await onSecond.getOrLoad(view, 'peer', counting('v2'))).toBe('v2');
    });
  });

  it('should serve nothing from memory while it cannot hear the other processes', async () => {
    const sut = second.app.get(AppCache);
    await second.app.get(PostgresCachePeers).onModuleDestroy();
    const loader = counting('uncached');
    await sut.getOrLoad(view, 'deaf', loader);
    await sut.getOrLoad(view, 'deaf', loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });
});

describe('AppCache with CACHE_ENABLED=false', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { CACHE_ENABLED: 'false' } });
  });
  afterAll(() => app.close());

  it('should load on every read', async () => {
    const loader = counting(1);
    const sut = app.app.get(AppCache);
    await sut.getOrLoad(view, 'k', loader);
    await sut.getOrLoad(view, 'k', loader);
    expect(loader).toHaveBeenCalledTimes(2);
  });
});

describe.skipIf(!(await redisAvailable()))('AppCache on Redis shared by two nodes', () => {
  let first: TestApp;
  let second: TestApp;
  const environment = redisCacheEnvironment();
  beforeAll(async () => {
    [first, second] = await startTwoNodes({ env: environment });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('should share entries and invalidations between the nodes', async () => {
    const onFirst = first.app.get(AppCache);
    const onSecond = second.app.get(AppCache);
    expect(await onFirst.getOrLoad(view, 'shared', counting('v1'))).toBe('v1');
    const notCalled = counting('never');
    expect(await onSecond.getOrLoad(view, 'shared', notCalled)).toBe('v1');
    expect(notCalled).not.toHaveBeenCalled();

    await onSecond.invalidate(region);
    expect(await onFirst.getOrLoad(view, 'shared', counting('v2'))).toBe('v2');
  });

  it('should report Redis as ready', async () => {
    const response = await first.http.get('/health/ready').expect(200);
    expect(response.body.details.cache).toEqual({ status: 'up', store: 'up' });
  });

  it('should write an invalidation it could not deliver once Redis answers again', async () => {
    const redis = new URL(TEST_REDIS_URL);
    const proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    await proxy.open();
    const cutOff = await startTestApp({
      env: { ...environment, REDIS_URL: `redis://${proxy.address}` },
      databaseUrl: first.databaseUrl,
    });
    try {
      const onCutOff = cutOff.app.get(AppCache);
      const onSecond = second.app.get(AppCache);
      expect(await onSecond.getOrLoad(view, 'outage', counting('old'))).toBe('old');
      expect(await onCutOff.getOrLoad(view, 'outage', counting('never'))).toBe('old');

      await proxy.cut();
      // The node keeps answering from its loader while Redis is away...
      expect(await onCutOff.getOrLoad(view, 'outage', counting('fresh'))).toBe('fresh');
      await onCutOff.invalidate(region);
      // ...and its invalidation could not land: a node that still reaches Redis sees the old entry.
      expect(await onSecond.getOrLoad(view, 'outage', counting('new'))).toBe('old');

      await proxy.open();
      await vi.waitFor(
        async () => expect(await onSecond.getOrLoad(view, 'outage', counting('new'))).toBe('new'),
        { timeout: 20_000, interval: 250 },
      );
    } finally {
      await cutOff.close();
      await proxy.cut();
    }
  });
});

describe('AppCache when Redis does not answer', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { REDIS_URL: await unreachableRedisUrl() } });
  });
  afterAll(() => app.close());

  it('should answer from the loader', async () => {
    const loader = counting('from the database');
    const sut = app.app.get(AppCache);
    expect(await sut.getOrLoad(view, 'k', loader)).toBe('from the database');
    expect(await sut.getOrLoad(view, 'k', loader)).toBe('from the database');
    expect(loader).toHaveBeenCalledTimes(2);
    await sut.invalidate(region);
  });

  it('should stay ready and say the cache is degraded', async () => {
    const response = await app.http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.details.cache).toMatchObject({ status: 'degraded', store: 'redis' });
  });
});
