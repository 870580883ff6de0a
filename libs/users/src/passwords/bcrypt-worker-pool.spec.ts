import { afterEach, describe, expect, it } from 'vitest';

import { BcryptWorkerPool } from './bcrypt-worker-pool.js';

describe(BcryptWorkerPool.name, () => {
  let sut: BcryptWorkerPool;
  afterEach(() => sut.close());

  it('should run at most its size of jobs at once and queue the rest when more jobs arrive', async () => {
    sut = new BcryptWorkerPool(2);

    const jobs = Array.from({ length: 7 }, (_, index) => sut.hash(`secret-${index}`, 4));
    expect(sut.stats).toEqual({ threads: 2, busy: 2, queued: 5 });

    const hashes = await Promise.all(jobs);
    expect(new Set(hashes).size).toBe(7);
    expect(sut.stats).toEqual({ threads: 2, busy: 0, queued: 0 });
    await expect(sut.compare('secret-6', hashes[6])).resolves.toBe(true);
  });

  it('should start threads only when jobs need them', async () => {
    sut = new BcryptWorkerPool(4);
    expect(sut.stats.threads).toBe(0);

    await sut.hash('secret', 4);
    expect(sut.stats.threads).toBe(1);
  });

  it('should keep the event loop free when hashing at a high cost', async () => {
    sut = new BcryptWorkerPool(1);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);

    await sut.hash('secret', 11);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it('should reject queued and running jobs when it is closed', async () => {
    sut = new BcryptWorkerPool(1);
    const running = expect(sut.hash('secret-1', 10)).rejects.toThrow(/shut down/);
    const queued = expect(sut.hash('secret-2', 10)).rejects.toThrow(/shut down/);

    await sut.close();
    await running;
    await queued;
    await expect(sut.hash('secret-3', 4)).rejects.toThrow(/shut down/);
  });

  it("should reject the job with bcrypt's reason when bcrypt refuses it", async () => {
    sut = new BcryptWorkerPool(1);

    await expect(sut.hash('secret', 99)).rejects.toThrow(/bcrypt failed/);
    await expect(sut.hash('secret', 4)).resolves.toMatch(/^\$2b\$04\$/);
  });
});
