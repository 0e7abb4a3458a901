/**
 * Log lines live here, outside React state: chunked arrays with a version counter. A million lines cost a million
 * string references and no re-render; views subscribe, read only the rows they draw, and repaint once per frame.
 */
export interface LogLine {
  text: string;
  /** ISO time or epoch ms as the engine sent it. */
  ts?: string | number;
  /** The engine's sequence number, used to drop lines replayed after a reconnect. */
  seq?: number;
  stream?: 'stdout' | 'stderr' | 'system';
}

const CHUNK = 8192;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

export class LogBuffer {
  private chunks: string[][] = [];
  private plains: string[][] = [];
  private stamps: (string | number | undefined)[][] = [];
  private streams: (LogLine['stream'] | undefined)[][] = [];
  private dropped = 0;
  private count = 0;
  private lastSeq = -Infinity;
  private lastSearch?: { query: string; first: number; length: number; hits: number[] };
  private listeners = new Set<() => void>();
  /** Bumped on every change; views compare it to know when to repaint. */
  version = 0;

  /** Past `capacity` lines the oldest chunk is dropped, so memory stays bounded on endless follows. */
  constructor(readonly capacity = 1_500_000) {}

  get length(): number {
    return this.count;
  }

  /** Lines dropped from the front since the last clear, to keep line numbers stable. */
  get firstLineNumber(): number {
    return this.dropped + 1;
  }

  append(lines: readonly LogLine[]): number {
    let added = 0;
    for (const line of lines) {
      if (line.seq !== undefined) {
        if (line.seq <= this.lastSeq) continue;
        this.lastSeq = line.seq;
      }
      this.push(line.text, line.ts, line.stream);
      added++;
    }
    if (added > 0) this.changed();
    return added;
  }

  /** Appends plain strings (split on newlines) — the fast path for bulk text. */
  appendText(text: string): void {
    const parts = text.split('\n');
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) this.push(part.endsWith('\r') ? part.slice(0, -1) : part, undefined, undefined);
    if (parts.length > 0) this.changed();
  }

  private push(text: string, ts: LogLine['ts'], stream: LogLine['stream']): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length >= CHUNK) {
      chunk = [];
      this.chunks.push(chunk);
      this.plains.push([]);
      this.stamps.push([]);
      this.streams.push([]);
    }
    chunk.push(text);
    this.plains[this.plains.length - 1]!.push(stripAnsi(text));
    this.stamps[this.stamps.length - 1]!.push(ts);
    this.streams[this.streams.length - 1]!.push(stream);
    this.count++;
    if (this.count > this.capacity) this.dropOldestChunk();
  }

  private dropOldestChunk(): void {
    const first = this.chunks.shift();
    this.plains.shift();
    this.stamps.shift();
    this.streams.shift();
    const n = first?.length ?? 0;
    this.count -= n;
    this.dropped += n;
  }

  private locate(index: number): [number, number] {
    // Every chunk but the last is full: lines only go to the last chunk and only whole chunks are dropped.
    return [Math.floor(index / CHUNK), index % CHUNK];
  }

  text(index: number): string {
    const [c, i] = this.locate(index);
    return this.chunks[c]?.[i] ?? '';
  }

  plain(index: number): string {
    const [c, i] = this.locate(index);
    return this.plains[c]?.[i] ?? '';
  }

  stamp(index: number): string | number | undefined {
    const [c, i] = this.locate(index);
    return this.stamps[c]?.[i];
  }

  stream(index: number): LogLine['stream'] {
    const [c, i] = this.locate(index);
    return this.streams[c]?.[i];
  }

  /** Indices of lines from `from` on containing `query` (case-insensitive), ANSI codes ignored. */
  search(query: string, from = 0, limit = 100_000): number[] {
    if (!query) return [];
    // A case-insensitive regex tests each line without allocating a lowered copy of it.
    const needle = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    const hits: number[] = [];
    for (let index = from; index < this.count; index++) {
      const [c, i] = this.locate(index);
      if (needle.test(this.plains[c]![i]!)) {
        hits.push(index);
        if (hits.length >= limit) break;
      }
    }
    return hits;
  }

  /** Matches of `query`, kept between calls: while lines stream in, only the new lines are searched. */
  matches(query: string): number[] {
    const last = this.lastSearch;
    if (last && last.query === query && last.first === this.dropped && last.length <= this.count) {
      if (last.length < this.count) {
        last.hits = last.hits.concat(this.search(query, last.length));
        last.length = this.count;
      }
      return last.hits;
    }
    const hits = this.search(query);
    this.lastSearch = { query, first: this.dropped, length: this.count, hits };
    return hits;
  }

  /** The whole buffer as text, for copy and save; built in parts so one huge string is made only once. */
  toText(withStamps = false): string {
    const parts: string[] = [];
    for (let c = 0; c < this.plains.length; c++) {
      const plains = this.plains[c]!;
      const stamps = this.stamps[c]!;
      for (let i = 0; i < plains.length; i++) {
        const ts = stamps[i];
        parts.push(withStamps && ts !== undefined ? `${formatStamp(ts)} ${plains[i]}` : plains[i]!);
      }
    }
    return parts.length > 0 ? parts.join('\n') + '\n' : '';
  }

  clear(): void {
    this.dropped += this.count;
    this.chunks = [];
    this.plains = [];
    this.stamps = [];
    this.streams = [];
    this.count = 0;
    this.changed();
  }

  /** Forget everything including the replay guard: a new source starts here. */
  reset(): void {
    this.clear();
    this.dropped = 0;
    this.lastSeq = -Infinity;
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

export function formatStamp(ts: string | number): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  return d.toISOString().slice(11, 23);
}
