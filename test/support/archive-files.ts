/**
 * Writes .zip and .tar.gz files entry by entry, including entries no ordinary tool would write (../ paths, links
 * leading out, sizes that lie), to test how archives are checked.
 */
import { createWriteStream, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { crc32, createGzip, deflateRawSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface TestEntry {
  name: string;
  kind?: 'file' | 'directory' | 'symlink' | 'hardlink' | 'fifo';
  content?: string | Buffer;
  linkTarget?: string;
  mode?: number;
  /** zip only: the uncompressed size the entry claims, when it should lie. */
  claimedSize?: number;
}

/** A folder's files as entries under `prefix` (in the order a directory walk finds them). */
export function entriesOfFolder(dir: string, prefix = ''): TestEntry[] {
  const out: TestEntry[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = `${prefix}${relative(dir, path)}`;
      const info = statSync(path);
      if (info.isDirectory()) {
        out.push({ name: `${rel}/`, kind: 'directory', mode: 0o755 });
        walk(path);
      } else {
        out.push({ name: rel, content: readFileSync(path), mode: info.mode & 0o777 });
      }
    }
  };
  walk(dir);
  return out;
}

export async function writeTarGz(path: string, entries: TestEntry[]): Promise<string> {
  const tar = pack();
  const done = pipeline(tar, createGzip(), createWriteStream(path));
  for (const e of entries) {
    const kind = e.kind ?? 'file';
    const type = kind === 'hardlink' ? 'link' : kind;
    const content = kind === 'file' ? Buffer.from(e.content ?? '') : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type, mode: e.mode ?? (kind === 'directory' ? 0o755 : 0o644), ...(e.linkTarget !== undefined ? { linkname: e.linkTarget } : {}) } as const;
      const cb = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content) tar.entry({ ...header, size: content.length }, content, cb);
      else tar.entry(header, cb);
    });
  }
  tar.finalize();
  await done;
  return path;
}

const S_IF = { file: 0o100000, directory: 0o040000, symlink: 0o120000, hardlink: 0o100000, fifo: 0o010000 };

/** Deflated when that makes the entry smaller (a file of zeros), stored otherwise. */
export function writeZip(path: string, entries: TestEntry[]): string {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const kind = e.kind ?? 'file';
    const raw = Buffer.from(kind === 'symlink' ? (e.linkTarget ?? '') : (e.content ?? ''));
    const deflated = deflateRawSync(raw);
    const method = deflated.length < raw.length ? 8 : 0;
    const data = method === 8 ? deflated : raw;
    const name = Buffer.from(e.name);
    const crc = crc32(raw);
    const size = e.claimedSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE((3 << 8) | 20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(0x00210000, 12);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE((((S_IF[kind] | (e.mode ?? (kind === 'directory' ? 0o755 : 0o644))) << 16) >>> 0), 38);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
  return path;
}
