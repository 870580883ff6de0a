import type { DataSource } from 'typeorm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { ActiveClientsCache } from '../../libs/oauth/src/clients/active-clients.cache.js';
import type { ClientEntity } from '../../libs/oauth/src/clients/client.entity.js';
import { createTestDatabase } from '../helpers/test-database.js';

/** Only what the cache reads of its DataSource: the URL of its LISTEN connection. */
function cacheOn(url: string): ActiveClientsCache {
  return new ActiveClientsCache({ options: { url } } as unknown as DataSource);
}

const client = { clientId: 'machine', isActive: true } as ClientEntity;

describe('the active clients cache', () => {
  let url: string;
  const caches: ActiveClientsCache[] = [];

  beforeAll(async () => {
    url = await createTestDatabase();
  });
  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.onModuleDestroy();
  });

  it('should keep a client read while the node listens for changes', async () => {
    const cache = cacheOn(url);
    caches.push(cache);
    await cache.onModuleInit();
    let loads = 0;
    const load = async () => (loads++, client);
    await cache.get('machine', load);
    await cache.get('machine', load);
    expect(loads).toBe(1);
  });

  it('should not keep a client read that began before the node was listening', async () => {
    // A change committed between that read and LISTEN notified no one: keeping the read would
    // serve the old client until the entry expired.
    const cache = cacheOn(url);
    caches.push(cache);
    let finishRead!: (value: ClientEntity) => void;
    const earlyRead = cache.get('machine', () => new Promise((resolve) => (finishRead = resolve)));
    await cache.onModuleInit();
    finishRead(client);
    await earlyRead;

    let loads = 0;
    await cache.get('machine', async () => (loads++, client));
    expect(loads).toBe(1);
  });
});
