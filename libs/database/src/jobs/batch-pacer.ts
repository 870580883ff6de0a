import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces a maintenance job's batches so that it works `dutyPercent` of its run and rests the
 * rest: after each batch it waits in proportion to how long the batch took. A prune at full
 * speed takes a whole core of PostgreSQL for seconds, which on a small machine is taken from
 * live logins; paced, it takes a fraction of one and lasts longer. Measured by the clock, so
 * it adapts to the machine and the batch size alike.
 */
export class BatchPacer {
  private batchStarted = performance.now();

  constructor(
    private readonly dutyPercent: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Rests after the batch that just ended and starts timing the next; an abort ends the rest. */
  async rest(): Promise<void> {
    const rest = this.restAfter(performance.now() - this.batchStarted);
    if (rest > 0 && !this.signal?.aborted) {
      await sleep(rest, undefined, { signal: this.signal }).catch(() => undefined);
    }
    this.batchStarted = performance.now();
  }

  /** How long to rest after a batch that took `workedMs`, so that work is dutyPercent of the time. */
  restAfter(workedMs: number): number {
    return (workedMs * (100 - this.dutyPercent)) / this.dutyPercent;
  }
}
