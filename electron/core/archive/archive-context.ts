import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pack as tarPack, type Pack } from 'tar-stream';
import { BerthError } from '../../../shared/errors';
import { appendExtraFiles, extraPaths, type ExtraFile } from '../deploy/context-files';
import { isExcluded, mayReincludeBelow, parseDockerignore, type IgnoreRule } from '../deploy/dockerignore';
import { corrupt, readEntries, type ReadEntry } from './archive-entries';
import type { CheckedArchive } from './archive-scan';
import { checkEntry } from './entry-check';

export interface ArchiveContext {
  /** The build context as a tar stream, produced as the daemon reads it. */
  stream: Readable;
  /** Why the stream broke off, when the archive (not the daemon) was the cause. */
  failure(): BerthError | null;
}

/**
 * Converts a checked archive into the build context on the fly: each entry below the root is read from disk and
 * written into a tar, with its path made relative to the root, owners cleared, set-id bits dropped, and what the
 * .dockerignore excludes left out. The checks run again on every entry, so a file swapped after its check is
 * refused as well. Extra files go at the end, in place of the archive's files of the same path.
 */
export function archiveContext(archive: CheckedArchive, extraFiles: readonly ExtraFile[] = []): ArchiveContext {
  const pack = tarPack();
  // the reader of the stream sees it break off; why is told by failure()
  pack.on('error', () => undefined);
  let failure: BerthError | null = null;
  fill(pack, archive, extraFiles).catch((error: unknown) => {
    failure = corrupt(archive.info.name, error);
    pack.destroy(failure);
  });
  return { stream: pack as unknown as Readable, failure: () => failure };
}

async function fill(pack: Pack, archive: CheckedArchive, extraFiles: readonly ExtraFile[]): Promise<void> {
  const now = await stat(archive.path).catch(() => null);
  if (!now || now.size !== archive.info.size || now.mtimeMs !== archive.mtimeMs) {
    throw new BerthError('SOURCE_INVALID', `${archive.info.name} changed or went away after it was checked. Deploy it again.`);
  }
  const rules = parseDockerignore(archive.ignoreText);
  const replaced = extraPaths(extraFiles);
  for await (const entry of readEntries(archive.path, archive.info.format)) {
    const verdict = checkEntry(entry, archive.contextRoot);
    if (verdict.action === 'refuse') throw verdict.error;
    if (verdict.action === 'skip' || replaced.has(verdict.path) || !kept(rules, verdict.path, entry, archive.dockerfile)) continue;
    await write(pack, entry, verdict.path, verdict.linkTarget);
  }
  appendExtraFiles(pack, extraFiles);
}

/** As Docker's CLI does: the Dockerfile and the .dockerignore always go, whatever the patterns say. */
function kept(rules: IgnoreRule[], path: string, entry: ReadEntry, dockerfile: string): boolean {
  if (path === dockerfile || path === '.dockerignore' || !isExcluded(rules, path)) return true;
  return entry.kind === 'directory' && mayReincludeBelow(rules, path);
}

async function write(pack: Pack, entry: ReadEntry, path: string, linkTarget: string | undefined): Promise<void> {
  const base = { name: path, mode: entry.mode & 0o777, mtime: entry.mtime, uid: 0, gid: 0 };
  switch (entry.kind) {
    case 'directory':
      return finished((done) => pack.entry({ ...base, type: 'directory' }, done));
    case 'symlink':
      return finished((done) => pack.entry({ ...base, type: 'symlink', linkname: linkTarget ?? '' }, done));
    case 'hardlink':
      return finished((done) => pack.entry({ ...base, type: 'link', linkname: linkTarget ?? '' }, done));
    default: {
      const content = await entry.content();
      let sink: ReturnType<Pack['entry']> | undefined;
      const written = finished((done) => {
        sink = pack.entry({ ...base, type: 'file', size: entry.size }, done);
        // a broken entry fails the whole pack, which reports it
        sink.on('error', () => undefined);
      });
      if (!sink) throw new BerthError('INTERNAL', 'The build context could not take an entry.');
      await Promise.all([copy(content, sink), written]);
    }
  }
}

/** Waits for the writable to take each chunk, so a slow daemon slows the reading from disk. */
async function copy(from: Readable, to: ReturnType<Pack['entry']>): Promise<void> {
  for await (const chunk of from) {
    if (!to.write(chunk as Buffer)) await new Promise<void>((resolve) => to.once('drain', () => resolve()));
  }
  to.end(null);
}

function finished(start: (done: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => start((error) => (error ? reject(error) : resolve())));
}
