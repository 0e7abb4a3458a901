import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Every STEP-th line's byte offset is kept: a page is found by one seek and at most STEP-1 skipped lines. */
const STEP = 1000;
const CHUNK = 1 << 20;
const MAX_FILES = 64;

interface FileIndex {
  /** offsets[k] is where line k*STEP+1 starts. */
  offsets: number[];
  /** Complete lines counted so far, and the byte after the last of them. */
  lines: number;
  scanned: number;
}

/**
 * Where a line of a growing log file starts, without reading the file from its first line each time: a sparse
 * index per file, extended by the bytes appended since the last look (a deployment's log grows while it is read).
 */
export class LogIndex {
  private readonly files = new Map<string, FileIndex>();

  /** The byte offset of a line at or before `line`, and that line's number. */
  seek(path: string, line: number): { offset: number; line: number } {
    const index = this.update(path);
    if (!index) return { offset: 0, line: 1 };
    const k = Math.min(Math.floor((Math.max(line, 1) - 1) / STEP), index.offsets.length - 1);
    return { offset: index.offsets[k] ?? 0, line: k * STEP + 1 };
  }

  /** Complete lines in the file now. */
  lineCount(path: string): number {
    return this.update(path)?.lines ?? 0;
  }

  private update(path: string): FileIndex | undefined {
    const size = statSync(path, { throwIfNoEntry: false })?.size;
    if (size === undefined) {
      this.files.delete(path);
      return undefined;
    }
    let index = this.files.get(path);
    // a file that shrank was replaced: start again
    if (!index || size < index.scanned) index = { offsets: [0], lines: 0, scanned: 0 };
    this.files.delete(path);
    this.files.set(path, index);
    if (this.files.size > MAX_FILES) this.files.delete(this.files.keys().next().value as string);
    if (size > index.scanned) scan(path, index, size);
    return index;
  }
}

/** One index for every deployment log of this process: the writer numbers its lines, the reader seeks with it. */
export const deploymentLogIndex = new LogIndex();

function scan(path: string, index: FileIndex, size: number): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  try {
    let at = index.scanned;
    while (at < size) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK, size - at), at);
      if (read === 0) break;
      let from = 0;
      for (;;) {
        const nl = buffer.indexOf(10, from);
        if (nl < 0 || nl >= read) break;
        index.lines++;
        index.scanned = at + nl + 1;
        if (index.lines % STEP === 0) index.offsets.push(index.scanned);
        from = nl + 1;
      }
      at += read;
    }
  } finally {
    closeSync(fd);
  }
}
