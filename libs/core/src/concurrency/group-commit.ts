interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the first item is written at once; items added while a write is in flight wait
 * and go together into the next one. Under load many writes share one transaction (one chain
 * lock, one WAL flush) instead of queueing for the lock one by one; alone, an item waits for
 * nothing. Each add resolves once its item is written (durable), or rejects with the error.
 */
export class GroupCommit<T> {
  private readonly queue: Pending<T>[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0, this.maxBatch));
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending<T>[]): Promise<void> {
    try {
      await this.write(batch.map((pending) => pending.item));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One item the database refuses must not fail the others: write them one by one.
      for (const pending of batch) await this.writeBatch([pending]);
    }
  }
}
