/**
 * The in-memory store behind Keyv when there is no Redis: a Map that forgets its oldest
 * entry once it holds `maxEntries`, so searches with ever-new terms cannot grow the heap
 * without bound (Keyv's plain Map keeps expired entries until they are read again).
 */
export class BoundedMemoryStore<V> extends Map<string, V> {
  constructor(private readonly maxEntries: number) {
    super();
  }

  override set(key: string, value: V): this {
    if (!this.has(key) && this.size >= this.maxEntries) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
