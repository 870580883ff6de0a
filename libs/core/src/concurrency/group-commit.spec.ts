import { describe, expect, it } from 'vitest';

import { GroupCommit } from './group-commit.js';

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe(GroupCommit.name, () => {
  it('should write the first item at once and the items added meanwhile together, in order', async () => {
    const writes: number[][] = [];
    const first = deferred();
    const sut = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await first.promise;
    });
    const added = [sut.add(1), sut.add(2), sut.add(3)];
    expect(writes).toEqual([[1]]);
    first.release();
    await Promise.all(added);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('should resolve an item only once its write has finished', async () => {
    const write = deferred();
    const sut = new GroupCommit<number>(() => write.promise);
    let done = false;
    const added = sut.add(1).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    write.release();
    await added;
    expect(done).toBe(true);
  });

  it('should fail only the item the write refuses when a batch fails', async () => {
    const first = deferred();
    const sut = new GroupCommit<number>(async (items) => {
      if (items.length === 1 && items[0] === 1) return first.promise;
      if (items.includes(3)) throw new Error('refused 3');
    });
    const one = sut.add(1);
    const others = [sut.add(2), sut.add(3), sut.add(4)].map((added) =>
      added.then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    first.release();
    await one;
    expect(await Promise.all(others)).toEqual(['ok', 'refused 3', 'ok']);
  });

  it('should cap a batch at its maximum size', async () => {
    const writes: number[][] = [];
    const first = deferred();
    const sut = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await first.promise;
    }, 2);
    const added = [1, 2, 3, 4, 5].map((item) => sut.add(item));
    first.release();
    await Promise.all(added);
    expect(writes).toEqual([[1], [2, 3], [4, 5]]);
  });
});
