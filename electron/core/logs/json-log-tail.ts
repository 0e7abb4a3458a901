import { PassThrough, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { LogLine, LogStream } from '../docker/log-lines';
import { shellQuote } from '../deploy/source-git';
import type { ServerLink } from '../ssh/server-link';
import { CappedLine } from './line-splitter';

const STATE_POLL_MS = 1000;

/** A json-file record is one line of ~16 KiB at most; a longer one is not Docker's and is skipped. */
const RECORD_CAP_CHARS = 1024 * 1024;

/**
 * Splits `json-file` log records (`{"log":"text\n","stream":"stdout","time":"…"}`, one per line) into log lines.
 * Docker cuts lines longer than 16 KiB into records without the trailing newline; those are joined again, up to a
 * capped prefix with a note of how much was cut. Bytes are decoded by one StringDecoder for the whole file.
 */
export class JsonLogDecoder {
  private partial = '';
  private skipping = false;
  private readonly decoder = new StringDecoder('utf8');
  private readonly pending: Record<LogStream, CappedLine> = { stdout: new CappedLine(), stderr: new CappedLine() };

  push(chunk: Buffer | string, onLine: (line: LogLine) => void): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      this.hold(text);
      return;
    }
    // only the first record can straddle chunks: the rest is sliced from the chunk as it came
    if (this.partial !== '' || this.skipping) {
      if (!this.skipping) this.record(this.partial + text.slice(0, nl), onLine);
      this.partial = '';
      this.skipping = false;
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      if (nl > start) this.record(text.slice(start, nl), onLine);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.hold(text.slice(start));
  }

  /** Memory held for lines still open, in bytes (bounded by the caps). */
  get held(): number {
    return this.partial.length + this.pending.stdout.held + this.pending.stderr.held;
  }

  private hold(rest: string): void {
    if (this.skipping) return;
    if (this.partial.length + rest.length > RECORD_CAP_CHARS) {
      this.partial = '';
      this.skipping = true;
      return;
    }
    this.partial += rest;
  }

  private record(json: string, onLine: (line: LogLine) => void): void {
    const fast = fastRecord(json);
    if (fast) {
      const pending = this.pending[fast.stream];
      if (pending.empty) onLine(fast);
      else {
        pending.add(fast.text);
        onLine({ ...fast, text: pending.take() });
      }
      return;
    }
    let entry: { log?: unknown; stream?: unknown; time?: unknown };
    try {
      entry = JSON.parse(json) as typeof entry;
    } catch {
      return;
    }
    if (typeof entry.log !== 'string') return;
    const stream = entry.stream === 'stderr' ? 'stderr' : 'stdout';
    const pending = this.pending[stream];
    if (!entry.log.endsWith('\n')) {
      pending.add(entry.log);
      return;
    }
    pending.add(entry.log.slice(0, entry.log.endsWith('\r\n') ? -2 : -1));
    onLine({ stream, timestamp: typeof entry.time === 'string' ? entry.time : '', text: pending.take() });
  }
}

const LOG_PREFIX = '{"log":"';
const STREAM_KEY = '","stream":"';
const TIME_KEY = '","time":"';

/**
 * Docker writes every record as `{"log":…,"stream":…,"time":…}` in that order. A whole line without escapes other
 * than its final `\n` is read by slicing, with no JSON parse; anything else (escapes, attrs, a cut line) returns
 * null and goes the general way.
 */
export function fastRecord(json: string): LogLine | null {
  if (!json.startsWith(LOG_PREFIX) || !json.endsWith('"}')) return null;
  const streamAt = json.indexOf(STREAM_KEY, LOG_PREFIX.length);
  if (streamAt < 0 || json.indexOf('\\', LOG_PREFIX.length) !== streamAt - 2) return null;
  const valueAt = streamAt + STREAM_KEY.length;
  const stream = json.startsWith('stdout', valueAt) ? 'stdout' : json.startsWith('stderr', valueAt) ? 'stderr' : null;
  if (stream === null || !json.startsWith(TIME_KEY, valueAt + 6)) return null;
  if (json.charCodeAt(streamAt - 1) !== 110 /* n */) return null;
  return { stream, timestamp: json.slice(valueAt + 6 + TIME_KEY.length, -2), text: json.slice(LOG_PREFIX.length, streamAt - 2) };
}

/**
 * The fast way to follow a container that logs to `json-file`: `tail -F` of its log file on the server, through one
 * exec channel, parsed here. The daemon's logs endpoint frames and flushes every line on its own and tops out at some
 * tens of thousands of lines a second; the file streams as fast as the link carries it. Needs read access to the
 * file (root, as Berth usually is); `canTail` says whether it applies. Ends when the container stops.
 */
export async function canTail(link: ServerLink, logPath: string): Promise<boolean> {
  if (!logPath.startsWith('/')) return false;
  const result = await link.exec(`test -r ${shellQuote(logPath)} && command -v tail >/dev/null && echo yes`, { timeoutMs: 10_000 }).catch(() => null);
  return result?.code === 0 && result.stdout.trim() === 'yes';
}

export async function tailJsonLog(
  link: ServerLink,
  container: { id: string; logPath: string },
  options: { tail: number; signal: AbortSignal },
  onLine: (line: LogLine) => void,
): Promise<'ended' | 'aborted'> {
  const decoder = new JsonLogDecoder();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  let lastData = Date.now();
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lastData = Date.now();
      decoder.push(chunk, onLine);
      done();
    },
  });
  // tail -F keeps waiting after the container stopped: end once it stopped and the file went quiet
  const watcher = setInterval(() => {
    if (Date.now() - lastData < STATE_POLL_MS) return;
    link.docker
      .getContainer(container.id)
      .inspect()
      .then((info) => {
        if (!info.State.Running) stop.abort();
      })
      .catch(() => stop.abort());
  }, STATE_POLL_MS);
  // The remote tail lives exactly as long as our stdin stays open: ending it (or losing the link) ends the tail, so
  // no tail is left behind on the server waiting for a file that never changes again.
  const stdin = new PassThrough();
  stop.signal.addEventListener('abort', () => stdin.end(), { once: true });
  const command = `tail -n ${Math.max(0, Math.floor(options.tail))} -F ${shellQuote(container.logPath)} 2>/dev/null & t=$!; cat >/dev/null; kill $t 2>/dev/null`;
  try {
    await link.exec(command, { stdin, stdout: out });
  } finally {
    clearInterval(watcher);
    options.signal.removeEventListener('abort', onAbort);
  }
  return options.signal.aborted ? 'aborted' : 'ended';
}
