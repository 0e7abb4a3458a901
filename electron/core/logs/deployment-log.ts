import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { DeploymentLogLine } from '../../../shared/api/logs';
import type { EventBus } from '../events/event-bus';
import { LineSplitter } from './line-splitter';
import { deploymentLogIndex as index } from './log-index';
import { SecretMask } from './secret-mask';

export type LogStream = 'out' | 'err' | 'info';

const FLUSH_MS = 50;
const MAX_BATCH = 500;

/**
 * The build and deploy output of one deployment: every line is appended to its log file with a timestamp and sent
 * to subscribers in small batches as `deployments.log`, numbered as in the file. Secret values are masked before either
 * sees them.
 */
export class DeploymentLog {
  private readonly file: WriteStream;
  private pending: Array<{ n: number; at: string; stream: LogStream; text: string }> = [];
  /** Lines in the file: each new one is numbered as a page read will number it. */
  private written: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly splitters: Record<LogStream, LineSplitter> = { out: new LineSplitter(), err: new LineSplitter(), info: new LineSplitter() };
  private readonly secrets = new SecretMask();
  private closed = false;

  constructor(
    readonly path: string,
    private readonly target: { serverId: string; deploymentId: string; bus: EventBus },
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.written = index.lineCount(path);
    this.file = createWriteStream(path, { flags: 'a', mode: 0o600 });
    this.file.on('error', () => undefined);
  }

  /** Values that must never appear in the log (env values marked secret), every line of a multi-line one too. */
  mask(values: Iterable<string>): void {
    this.secrets.add(values);
  }

  info(text: string): void {
    this.lines('info', text);
  }

  /** Whole lines (a trailing newline is optional), each capped like any other. */
  lines(stream: LogStream, text: string): void {
    const push = (line: string): void => this.push(stream, line);
    if (text === '') push('');
    const whole = new LineSplitter();
    whole.push(text, push);
    whole.end(push);
  }

  /**
   * A piece of a stream that may end mid-line: the rest waits for the next piece. Bytes are decoded per stream, so a
   * character split between two pieces stays whole.
   */
  chunk(stream: LogStream, piece: string | Buffer): void {
    this.splitters[stream].push(piece, (line) => this.push(stream, line));
  }

  private push(stream: LogStream, raw: string): void {
    if (this.closed) return;
    const text = this.secrets.apply(raw.replace(/\r$/, '').replace(/^.*\r/, ''));
    const at = new Date().toISOString();
    this.file.write(`${at} ${stream} ${text}\n`);
    this.pending.push({ n: ++this.written, at, stream, text });
    if (this.pending.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.target.bus.emit('deployments.log', { serverId: this.target.serverId, deploymentId: this.target.deploymentId, lines });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const stream of ['out', 'err', 'info'] as const) this.splitters[stream].end((line) => this.push(stream, line));
    this.flush();
    this.closed = true;
    await new Promise<void>((resolve) => this.file.end(resolve));
  }
}

/**
 * A page of a log file, read line by line from the nearest indexed line before it: the file is never loaded whole,
 * and a page deep in a long log costs what a page near its start does.
 */
export async function readDeploymentLog(
  path: string,
  fromLine: number,
  limit: number,
): Promise<{ lines: DeploymentLogLine[]; nextLine: number; eof: boolean }> {
  const lines: DeploymentLogLine[] = [];
  let start: { offset: number; line: number };
  try {
    start = index.seek(path, fromLine);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines, nextLine: fromLine, eof: true };
    throw error;
  }
  const input = createReadStream(path, { encoding: 'utf8', start: start.offset });
  const reader = createInterface({ input, crlfDelay: Infinity });
  let n = start.line - 1;
  let eof = true;
  try {
    for await (const line of reader) {
      n++;
      if (n < fromLine) continue;
      if (lines.length >= limit) {
        eof = false;
        break;
      }
      lines.push(parseLine(n, line));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    reader.close();
    input.destroy();
  }
  return { lines, nextLine: fromLine + lines.length, eof };
}

function parseLine(n: number, line: string): DeploymentLogLine {
  const first = line.indexOf(' ');
  const second = line.indexOf(' ', first + 1);
  const stream = line.slice(first + 1, second < 0 ? undefined : second);
  if (first < 0 || (stream !== 'out' && stream !== 'err' && stream !== 'info')) {
    return { n, at: '', stream: 'out', text: line };
  }
  return { n, at: line.slice(0, first), stream, text: second < 0 ? '' : line.slice(second + 1) };
}
