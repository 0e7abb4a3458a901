import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import yauzl from 'yauzl';
import { BerthError } from '../../../shared/errors';
import type { EntryFacts, EntryKind } from './entry-check';

export type ArchiveFormat = 'zip' | 'tar.gz';

/** One entry as it is read: its facts, and its bytes for a file (read once, in order, or left unread). */
export interface ReadEntry extends EntryFacts {
  size: number;
  mode: number;
  mtime: Date;
  content(): Promise<Readable>;
}

/** A symlink's target is its content in a zip: longer than a path can be means something else is going on. */
const MAX_LINK_TARGET = 4096;

/** By the first bytes, not the file name: a renamed archive still opens, and a stray file is named as such. */
export async function formatOf(path: string): Promise<ArchiveFormat> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    if (bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  } finally {
    await handle.close();
  }
  throw new BerthError('SOURCE_INVALID', `${basename(path)} is neither a .zip nor a .tar.gz (.tgz) archive. Pack the project folder as one of those and deploy that file.`);
}

export function corrupt(name: string, error: unknown): BerthError {
  if (error instanceof BerthError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new BerthError('ARCHIVE_CORRUPT', `${name} could not be read as an archive (${why}). Make it again and deploy the new file.`);
}

/** Every entry of the archive in the order it is stored, read from disk as it goes: never the whole file in memory. */
export function readEntries(path: string, format: ArchiveFormat, onRaw?: (chunk: Buffer) => void): AsyncIterable<ReadEntry> {
  return format === 'zip' ? zipEntries(path) : tarEntries(path, onRaw);
}

async function* tarEntries(path: string, onRaw?: (chunk: Buffer) => void): AsyncGenerator<ReadEntry> {
  const file = createReadStream(path);
  if (onRaw) file.on('data', (chunk) => onRaw(chunk as Buffer));
  const gunzip = createGunzip();
  const tar = extract();
  file.on('error', (error) => tar.destroy(error));
  gunzip.on('error', (error) => tar.destroy(error));
  file.pipe(gunzip).pipe(tar);
  try {
    for await (const stream of tar) {
      const header = stream.header;
      let used = false;
      // the next header comes only once this entry's bytes have been read, by the caller or drained here
      const read = new Promise<void>((resolve, reject) => {
        stream.once('end', () => resolve());
        stream.once('close', () => resolve());
        stream.once('error', reject);
      });
      yield {
        name: header.name,
        kind: tarKind(header.type),
        linkTarget: header.linkname ?? undefined,
        size: header.size ?? 0,
        mode: header.mode ?? 0o644,
        mtime: header.mtime ?? new Date(0),
        content: async () => {
          used = true;
          return stream as unknown as Readable;
        },
      };
      if (!used) stream.resume();
      await read;
    }
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

function tarKind(type: Header['type'] | undefined): EntryKind {
  switch (type) {
    case 'file':
    case 'contiguous-file':
    case undefined:
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

const S_IFMT = 0o170000;
const MADE_ON_UNIX = 3;

async function* zipEntries(path: string): AsyncGenerator<ReadEntry> {
  // names are decoded here, not by yauzl, so an unsafe one is refused by checkEntry with Berth's own message
  const zip = await yauzl.openPromise(path, { decodeStrings: false, validateEntrySizes: true, strictFileNames: false });
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, false);
      const unix = entry.versionMadeBy >> 8 === MADE_ON_UNIX ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
      const kind = zipKind(name, unix);
      if (entry.isEncrypted()) throw new BerthError('ARCHIVE_CORRUPT', `The entry "${name}" is encrypted: Berth cannot read it. Make the archive without a password.`);
      const content = () => zip.openReadStreamPromise(entry);
      yield {
        name,
        kind,
        linkTarget: kind === 'symlink' ? await linkTargetOf(name, entry.uncompressedSize, content) : undefined,
        size: entry.uncompressedSize,
        mode: unix & 0o7777 || (kind === 'directory' ? 0o755 : 0o644),
        mtime: entry.getLastModDate(),
        content,
      };
    }
  } finally {
    zip.close();
  }
}

function zipKind(name: string, unixMode: number): EntryKind {
  const type = unixMode & S_IFMT;
  if (type === 0o120000) return 'symlink';
  if (type === 0o040000 || name.endsWith('/')) return 'directory';
  if (type === 0 || type === 0o100000) return 'file';
  return 'other';
}

async function linkTargetOf(name: string, size: number, content: () => Promise<Readable>): Promise<string> {
  if (size > MAX_LINK_TARGET) throw new BerthError('ARCHIVE_UNSAFE', `The link "${name}" has a target of ${size} bytes: no path is that long. Make the archive again from the project folder.`);
  const chunks: Buffer[] = [];
  for await (const chunk of await content()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
