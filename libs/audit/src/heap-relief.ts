import { measureMemory } from 'node:vm';

/**
 * Runs a full garbage collection now, for code that streams a large table through the process.
 * node-postgres turns every field into a string that V8 soon tenures, and V8 lets the old
 * generation grow to about four times the live heap before collecting it: in the API (about
 * 55 MB live) a million-row read would take the process past 300 MB of mostly garbage.
 * vm.measureMemory's eager mode is the documented way to start a major GC without
 * --expose-gc; with the API's heap it pauses for about 10 ms.
 */
export async function collectGarbageNow(): Promise<void> {
  await measureMemory({ mode: 'summary', execution: 'eager' });
}

/** Counts what a stream has read and collects garbage each time `budget` more has gone by. */
export class HeapRelief {
  private sinceCollection = 0;

  constructor(private readonly budget: number) {}

  async consumed(amount: number): Promise<void> {
    this.sinceCollection += amount;
    if (this.sinceCollection < this.budget) return;
    this.sinceCollection = 0;
    await collectGarbageNow();
  }
}
