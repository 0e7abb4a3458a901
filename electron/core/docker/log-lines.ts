import { LineSplitter } from '../logs/line-splitter';

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  /** Docker's RFC 3339 timestamp with nanoseconds, as it prefixed the line. */
  timestamp: string;
  text: string;
}

/**
 * Splits Docker's log stream into timestamped lines. Non-TTY containers multiplex stdout and stderr in frames with an
 * 8-byte header (stream id, 3 zero bytes, big-endian length); TTY ones send raw stdout. A frame's bytes go on to
 * their stream as they arrive, without waiting for the whole frame, and each stream splits its own lines (capped,
 * UTF-8 decoded across chunks), so a line cut across frames or chunks comes out whole and a huge one costs little.
 */
export class LogLineDecoder {
  private readonly header = Buffer.alloc(8);
  private headerFill = 0;
  private frameLeft = 0;
  private frameStream: LogStream = 'stdout';
  private readonly splitters: Record<LogStream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };

  constructor(private readonly multiplexed: boolean) {}

  push(chunk: Buffer): LogLine[] {
    const lines: LogLine[] = [];
    if (!this.multiplexed) {
      this.feed('stdout', chunk, lines);
      return lines;
    }
    let at = 0;
    while (at < chunk.length) {
      if (this.frameLeft === 0) {
        const n = Math.min(8 - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + n);
        this.headerFill += n;
        at += n;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        this.frameStream = this.header[0] === 2 ? 'stderr' : 'stdout';
        this.frameLeft = this.header.readUInt32BE(4);
        continue;
      }
      const n = Math.min(this.frameLeft, chunk.length - at);
      this.feed(this.frameStream, chunk.subarray(at, at + n), lines);
      this.frameLeft -= n;
      at += n;
    }
    return lines;
  }

  private feed(stream: LogStream, bytes: Buffer, out: LogLine[]): void {
    this.splitters[stream].push(bytes, (raw) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const space = line.indexOf(' ');
      const timestamp = space === -1 ? line : line.slice(0, space);
      if (timestampNanos(timestamp) === null) return;
      out.push({ stream, timestamp, text: space === -1 ? '' : line.slice(space + 1) });
    });
  }
}

/** Nanoseconds since the epoch of an RFC 3339 timestamp (Date keeps only milliseconds, too coarse to resume on). */
export function timestampNanos(timestamp: string): bigint | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds / 1000) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/**
 * Where a follow got to, so that reopening it after a drop neither repeats nor loses a line. Docker's `since` is
 * inclusive, so the lines already seen at the last timestamp are counted and skipped once on the way back.
 */
export class ResumePoint {
  private last: bigint | undefined;
  private seenAtLast = 0;
  private toSkip = 0;

  /** Whether the line is new; call for every decoded line, in order. */
  admit(line: LogLine): boolean {
    const at = timestampNanos(line.timestamp);
    if (at === null) return false;
    if (this.toSkip > 0 && at === this.last) {
      this.toSkip -= 1;
      return false;
    }
    this.toSkip = 0;
    if (this.last === undefined || at > this.last) {
      this.last = at;
      this.seenAtLast = 1;
    } else if (at === this.last) {
      this.seenAtLast += 1;
    }
    return true;
  }

  /** Marks a reopen: the next lines at the last timestamp were delivered already. */
  rewind(): void {
    this.toSkip = this.seenAtLast;
  }

  /** The `since` to reopen with (Docker's `seconds.nanoseconds`), or undefined before the first line. */
  since(): string | undefined {
    if (this.last === undefined) return undefined;
    return `${this.last / 1_000_000_000n}.${(this.last % 1_000_000_000n).toString().padStart(9, '0')}`;
  }
}
