/**
 * A fixed-size ring of the most recent items: pushing past capacity overwrites the oldest, so a chatty container
 * costs a bounded amount of memory however long it is followed. With a weight (the text length of a line), the ring
 * also drops its oldest items past `maxWeight`, so a burst of long lines cannot hold capacity × the longest line.
 */
export class LogRing<T> {
  private readonly items: Array<T | undefined>;
  private start = 0;
  private count = 0;
  private weight = 0;
  /** How many items were overwritten or dropped since the ring was made. */
  dropped = 0;

  constructor(
    readonly capacity: number,
    private readonly limit: { weigh: (item: T) => number; maxWeight: number } | undefined = undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.capacity) this.dropOldest();
    this.items[(this.start + this.count) % this.capacity] = item;
    this.count++;
    if (!this.limit) return;
    this.weight += this.limit.weigh(item);
    // the newest item always stays, however heavy
    while (this.weight > this.limit.maxWeight && this.count > 1) this.dropOldest();
  }

  /** The newest `limit` items (all when absent), oldest first. */
  toArray(limit = this.count): T[] {
    const n = Math.min(limit, this.count);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = this.items[(this.start + this.count - n + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.weight = 0;
  }

  private dropOldest(): void {
    const oldest = this.items[this.start] as T;
    if (this.limit) this.weight -= this.limit.weigh(oldest);
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
    this.dropped++;
  }
}
