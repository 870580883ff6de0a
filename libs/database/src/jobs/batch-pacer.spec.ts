import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { BatchPacer } from './batch-pacer.js';

describe(BatchPacer.name, () => {
  it('should rest so that the work is the given share of the time', () => {
    expect(new BatchPacer(25).restAfter(10)).toBe(30);
    expect(new BatchPacer(50).restAfter(10)).toBe(10);
    expect(new BatchPacer(100).restAfter(10)).toBe(0);
  });

  it('should time each batch from the end of the last rest', async () => {
    const pacer = new BatchPacer(50);
    await sleep(150);
    const restStarted = performance.now();
    await pacer.rest();
    expect(performance.now() - restStarted).toBeGreaterThanOrEqual(140);
    // The next batch is timed from here, not from the first: an immediate rest is (almost) none.
    const again = performance.now();
    await pacer.rest();
    expect(performance.now() - again).toBeLessThan(100);
  });

  it('should end a rest as soon as the run is aborted', async () => {
    const abort = new AbortController();
    const pacer = new BatchPacer(1, abort.signal);
    await sleep(30); // a 30 ms batch at 1%: a rest of about 3 s
    const restStarted = performance.now();
    setTimeout(() => abort.abort(), 20);
    await pacer.rest();
    expect(performance.now() - restStarted).toBeLessThan(1000);
  });
});
