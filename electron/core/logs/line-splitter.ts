import { StringDecoder } from 'node:string_decoder';

/** The most of one line that is kept; the rest is counted and said (`… [52,363,264 bytes cut]`). */
export const LINE_CAP_BYTES = 64 * 1024;

export function cutNote(bytes: number): string {
  return ` … [${bytes.toLocaleString('en-US')} bytes cut]`;
}

/**
 * One line gathered piece by piece. It keeps the first `cap` bytes (UTF-8) and only counts the bytes past them, so a
 * line of any length costs at most `cap` bytes and every piece is copied at most once.
 */
export class CappedLine {
  private parts: string[] = [];
  private kept = 0;
  private cut = 0;
  /** Characters copied so far (into the kept prefix and out of it), the measure of this line's cost. */
  copied = 0;

  constructor(private readonly cap = LINE_CAP_BYTES) {}

  get empty(): boolean {
    return this.parts.length === 0 && this.cut === 0;
  }

  /** Bytes held right now: never more than the cap. */
  get held(): number {
    return this.kept;
  }

  add(piece: string): void {
    if (piece === '') return;
    if (this.cut > 0) {
      this.cut += Buffer.byteLength(piece);
      return;
    }
    const room = this.cap - this.kept;
    const bytes = Buffer.byteLength(piece);
    if (bytes <= room) {
      this.keep(piece, bytes);
      return;
    }
    const head = prefixWithin(piece, room);
    const headBytes = Buffer.byteLength(head);
    this.keep(head, headBytes);
    this.cut = bytes - headBytes;
  }

  /** The line so far (with its cut note), and a fresh start for the next one. */
  take(): string {
    const text = (this.parts.length === 1 ? (this.parts[0] ?? '') : this.parts.join('')) + (this.cut > 0 ? cutNote(this.cut) : '');
    this.copied += text.length;
    this.parts = [];
    this.kept = 0;
    this.cut = 0;
    return text;
  }

  private keep(piece: string, bytes: number): void {
    if (piece === '') return;
    this.parts.push(piece);
    this.kept += bytes;
    this.copied += piece.length;
  }
}

/** The longest start of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function prefixWithin(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  // a UTF-16 unit is at least one byte, so no more than maxBytes units can fit; keep a surrogate pair whole
  let end = Math.min(text.length, maxBytes);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const head = text.slice(0, end);
  const encoded = Buffer.from(head, 'utf8');
  if (encoded.length <= maxBytes) return head;
  let at = maxBytes;
  while (at > 0 && ((encoded[at] ?? 0) & 0xc0) === 0x80) at -= 1;
  return encoded.subarray(0, at).toString('utf8');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts a stream into lines at `\n`, in one pass over the input, each line capped (see CappedLine). Bytes are decoded
 * by one StringDecoder for the whole stream, so a character split across two chunks comes out whole.
 */
export class LineSplitter {
  private readonly line: CappedLine;
  private readonly decoder = new StringDecoder('utf8');

  constructor(cap = LINE_CAP_BYTES) {
    this.line = new CappedLine(cap);
  }

  get copied(): number {
    return this.line.copied;
  }

  get held(): number {
    return this.line.held;
  }

  /** Whether a line has begun and waits for its end. */
  get open(): boolean {
    return !this.line.empty;
  }

  push(chunk: string | Buffer, onLine: (line: string) => void): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      this.line.add(text.slice(start, nl));
      onLine(this.line.take());
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.line.add(start === 0 ? text : text.slice(start));
  }

  /** The last line when the stream ended without a newline. */
  end(onLine: (line: string) => void): void {
    const rest = this.decoder.end();
    if (rest !== '') this.line.add(rest);
    if (!this.line.empty) onLine(this.line.take());
  }
}
