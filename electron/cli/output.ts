import type { Writable } from 'node:stream';
import type { Tone } from './format';

type Stream = Writable & { isTTY?: boolean };

/**
 * Where a command writes. Results go to stdout (a table, a sentence, or with `--json` one JSON document);
 * progress, notes and errors go to stderr, so `berth … --json | jq` always reads clean JSON. Colours only on a
 * terminal, never with NO_COLOR. When stdout's reader goes away (`| head`), writing stops instead of failing.
 */
export class Output {
  readonly color: boolean;
  readonly errColor: boolean;
  private closed = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    private readonly out: Stream,
    private readonly err: Stream,
    readonly json: boolean,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const allowed = !env.NO_COLOR && env.TERM !== 'dumb';
    this.color = allowed && (Boolean(out.isTTY) || Boolean(env.FORCE_COLOR));
    this.errColor = allowed && (Boolean(err.isTTY) || Boolean(env.FORCE_COLOR));
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      this.closed = true;
      for (const listener of this.closeListeners) listener();
    });
  }

  /** True once stdout's reader has gone away. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Called once stdout's reader goes away; returns an unsubscribe. */
  onClosed(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  get interactive(): boolean {
    return Boolean(this.err.isTTY);
  }

  data(value: unknown): void {
    this.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON document per line, for streams (`berth logs -f --json`). */
  record(value: unknown): void {
    this.write(`${JSON.stringify(value)}\n`);
  }

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  note(text: string): void {
    this.err.write(`${text}\n`);
  }

  table(headers: string[], rows: string[][]): void {
    for (const line of renderTable(headers, rows, (text) => this.paint('dim', text))) this.line(line);
  }

  /** Label/value pairs, labels aligned. */
  pairs(rows: string[][]): void {
    for (const line of renderTable(null, rows.map(([label = '', value = '']) => [this.paint('dim', label), value]))) this.line(line);
  }

  paint(style: Style, text: string): string {
    return this.color ? `${styles[style]}${text}\x1b[0m` : text;
  }

  /** For text written to stderr, whose terminal may differ from stdout's. */
  paintErr(style: Style, text: string): string {
    return this.errColor ? `${styles[style]}${text}\x1b[0m` : text;
  }

  tone(tone: Tone, text: string): string {
    return this.paint(tone, text);
  }

  private write(text: string): void {
    if (this.closed) return;
    this.out.write(text);
  }
}

const styles = {
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  grey: '\x1b[90m',
};

export type Style = keyof typeof styles;

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ansi, '').length;
}

/** Columns padded to their widest cell (colour codes not counted); the last column is never padded. */
export function renderTable(headers: string[] | null, rows: string[][], paintHeader: (text: string) => string = (t) => t): string[] {
  const all = headers ? [headers, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => visibleLength(r[i] ?? ''))));
  const render = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  return [...(headers ? [paintHeader(render(headers))] : []), ...rows.map(render)];
}
