import { setImmediate as nextTurn } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { TurnBatch } from './turn-batch.js';

describe(TurnBatch.name, () => {
  it('should answer the keys asked for in one turn with one lookup, each with its own result', async () => {
    const lookups: number[][] = [];
    const sut = new TurnBatch<number, string>(async (keys) => {
      lookups.push(keys);
      return keys.map((key) => `result ${key}`);
    });
    const results = await Promise.all([sut.load(1), sut.load(2), sut.load(3)]);
    expect(results).toEqual(['result 1', 'result 2', 'result 3']);
    expect(lookups).toEqual([[1, 2, 3]]);
  });

  it('should not start the lookup before the turn ends, and start a new batch in the next turn', async () => {
    const lookups: number[][] = [];
    const sut = new TurnBatch<number, number>(async (keys) => {
      lookups.push(keys);
      return keys;
    });
    const first = sut.load(1);
    await Promise.resolve();
    expect(lookups).toEqual([]);
    await first;
    const second = sut.load(2);
    await nextTurn();
    await second;
    expect(lookups).toEqual([[1], [2]]);
  });

  it('should send a full batch at once and keep the rest for the end of the turn', async () => {
    const lookups: number[][] = [];
    const sut = new TurnBatch<number, number>(async (keys) => {
      lookups.push(keys);
      return keys;
    }, 2);
    const results = Promise.all([sut.load(1), sut.load(2), sut.load(3)]);
    expect(lookups).toEqual([[1, 2]]);
    expect(await results).toEqual([1, 2, 3]);
    expect(lookups).toEqual([[1, 2], [3]]);
  });

  it('should reject every key of a batch whose lookup fails, and recover in the next batch', async () => {
    let fail = true;
    const sut = new TurnBatch<number, number>(async (keys) => {
      if (fail) throw new Error('database gone');
      return keys;
    });
    const failed = await Promise.allSettled([sut.load(1), sut.load(2)]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await sut.load(3)).toBe(3);
  });

  it('should reject the batch when the lookup throws at once or answers the wrong number of keys', async () => {
    const throwing = new TurnBatch<number, number>(() => {
      throw new Error('bad statement');
    });
    await expect(throwing.load(1)).rejects.toThrow('bad statement');
    const short = new TurnBatch<number, number>(async () => [1]);
    await expect(Promise.all([short.load(1), short.load(2)])).rejects.toThrow('answered 1 of 2 keys');
  });
});
