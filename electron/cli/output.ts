import type { Writable } from 'node:stream';

/** Human output: aligned tables and, on a terminal, colours; `--json` bypasses all of it. */
export class Output {
  readonly color: boolean;

  constructor(
    private readonly out: Writable & { isTTY?: boolean },
    private readonly err: Writable & { isTTY?: boolean },
    readonly json: boolean,
  ) {
    this.color = Boolean(out.isTTY) && !process.env.NO_COLOR;
  }

  data(value: unknown): void {
    this.out.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  note(text: string): void {
    this.err.write(`${text}\n`);
  }

  table(headers: string[], rows: string[][]): void {
    const widths = headers.map((h, i) => Math.max(visible(h).length, ...rows.map((r) => visible(r[i] ?? '').length)));
    const render = (cells: string[]): string =>
      cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell).length))).join('  ');
    this.line(this.paint('dim', render(headers)));
    for (const row of rows) this.line(render(row));
  }

  paint(style: keyof typeof styles, text: string): string {
    return this.color ? `${styles[style]}${text}\x1b[0m` : text;
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

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

function visible(text: string): string {
  return text.replace(ansi, '');
}
