import { PassThrough, type Readable } from 'node:stream';
import { extract, pack, type Pack } from 'tar-stream';
import { BerthError } from '../../../shared/errors';

/**
 * A file put into a build context beside the source's own files (a generated Dockerfile), without touching the
 * source. It replaces a source file of the same path.
 */
export interface ExtraFile {
  path: string;
  content: string;
}

/** A fixed time, so a generated file with the same content keeps the same tar entry from build to build. */
const MTIME = new Date('2000-01-01T00:00:00Z');

/** `./a//b` → `a/b`; a path leaving the context or naming a folder is refused. */
export function contextPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..') || /^[\\/]/.test(path) || /[\\/]$/.test(path)) {
    throw new BerthError('SOURCE_INVALID', `A generated file's path must stay inside the build context (got ${JSON.stringify(path)}).`);
  }
  return parts.join('/');
}

/** Paths of the extra files, normalised, to leave the source's files of the same name out. */
export function extraPaths(files: readonly ExtraFile[]): Set<string> {
  return new Set(files.map((file) => contextPath(file.path)));
}

/** Writes the extra files into a tar pack, then finalizes it. */
export function appendExtraFiles(out: Pack, files: readonly ExtraFile[]): void {
  const write = (index: number): void => {
    const file = files[index];
    if (!file) {
      out.finalize();
      return;
    }
    const header = { name: contextPath(file.path), mode: 0o644, mtime: MTIME, uid: 0, gid: 0, type: 'file' as const };
    out.entry(header, file.content, (error) => (error ? out.destroy(error) : write(index + 1)));
  };
  write(0);
}

/**
 * The same tar stream with the extra files added at its end (and any entry of the same path left out), entry by
 * entry: nothing is held beyond the entry being copied.
 */
export function withExtraFiles(tar: Readable, files: readonly ExtraFile[]): Readable {
  if (files.length === 0) return tar;
  const replaced = extraPaths(files);
  const reader = extract();
  const out = pack();
  const result = new PassThrough();
  const fail = (error: unknown): void => {
    result.destroy(error instanceof Error ? error : new Error(String(error)));
    reader.destroy();
  };
  reader.on('entry', (header, entry, next) => {
    if (replaced.has(header.name.replace(/^\.\//, ''))) {
      entry.on('end', () => next());
      entry.resume();
      return;
    }
    entry.pipe(out.entry(header, next));
  });
  reader.on('finish', () => appendExtraFiles(out, files));
  reader.on('error', fail);
  out.on('error', fail);
  tar.on('error', fail);
  tar.pipe(reader as unknown as NodeJS.WritableStream);
  (out as unknown as Readable).pipe(result);
  return result;
}
