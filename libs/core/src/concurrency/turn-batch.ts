interface Waiting<K, R> {
  key: K;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the lookups asked for in one turn of the event loop into one call: the requests
 * whose sockets were read in the same turn share one database round trip instead of taking
 * one each. A lookup waits for nothing but the end of its turn, and the call starts after
 * every one of its keys was asked for, so it sees all that was committed before any of them.
 * Batches do not wait for each other: several may be in flight, one per pooled connection.
 */
export class TurnBatch<K, R> {
  private waiting: Waiting<K, R>[] = [];

  /**
   * @param lookup answers every key, in the order given (one result per key).
   * @param maxBatch a batch this large goes at once, without waiting for the turn to end.
   */
  constructor(
    private readonly lookup: (keys: K[]) => Promise<R[]>,
    private readonly maxBatch = 256,
  ) {}

  load(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ key, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
    });
  }

  private flush(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    const fail = (error: unknown) => {
      for (const waiting of batch) waiting.reject(error);
    };
    let answered: Promise<R[]>;
    try {
      answered = this.lookup(batch.map((waiting) => waiting.key));
    } catch (error) {
      fail(error);
      return;
    }
    answered.then((results) => {
      if (results.length !== batch.length) {
        fail(new Error(`A batched lookup answered ${results.length} of ${batch.length} keys`));
        return;
      }
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    }, fail);
  }
}
