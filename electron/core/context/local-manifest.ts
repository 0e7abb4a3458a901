import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { BuildSettings } from '../../../shared/api/apps';
import { BerthError } from '../../../shared/errors';
import { contextPath, extraPaths, type ExtraFile } from '../deploy/context-files';
import { isExcluded, mayReincludeBelow, parseDockerignore } from '../deploy/dockerignore';

/** One entry of a build context: what the server's copy must hold, by content. */
export interface ContextEntry {
  /** Slash-separated, relative to the context root. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (07777). */
  mode: number;
  size: number;
  mtimeSec: number;
  /** sha256 of a file's bytes or a link's target; empty for a folder. */
  hash: string;
  /** Where a file's bytes are read from on this computer. */
  absolute: string;
  linkTarget?: string;
  /** The bytes of a generated file, which is no file of the folder. */
  content?: string;
}

export interface LocalContext {
  root: string;
  dockerfile: string;
  entries: ContextEntry[];
}

interface Known {
  key: string;
  hash: string;
}

/**
 * Hashes already computed in this process, by file: a file whose inode, size, mtime and ctime are unchanged is not
 * read again, so a second deploy of a folder with a large file costs a stat, not a read of the file.
 */
const known = new Map<string, Known>();
const KNOWN_LIMIT = 200_000;

/** The time a generated file carries, as in the streamed context (context-files.ts). */
const GENERATED_MTIME_SEC = Date.parse('2000-01-01T00:00:00Z') / 1000;

/**
 * The entries of a local build context as `packFolder` would send them: .dockerignore honoured, the Dockerfile and
 * the .dockerignore always in, sockets and other special files left out, extra files in place of the folder's files
 * of the same path. Folders come before what they hold.
 */
export async function localContext(sourceRoot: string, build: BuildSettings, extraFiles: readonly ExtraFile[] = []): Promise<LocalContext> {
  const root = resolve(sourceRoot, build.context);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new BerthError('SOURCE_INVALID', `The build context ${root} is not a folder on this computer.`);
  }
  const dockerfile = build.dockerfile.split(sep).join('/').replace(/^\.\//, '');
  const extras = extraPaths(extraFiles);
  if (!extras.has(dockerfile) && !existsSync(resolve(root, dockerfile))) throw new BerthError('DOCKERFILE_MISSING', `There is no ${dockerfile} in ${root}.`);
  const ignoreFile = resolve(root, '.dockerignore');
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, 'utf8')) : [];
  const left = (rel: string): boolean => rel !== dockerfile && rel !== '.dockerignore' && isExcluded(rules, rel) && !mayReincludeBelow(rules, rel);
  const entries: ContextEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = readdirSync(dir).sort();
    for (const name of names) {
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      if (left(rel) || extras.has(rel)) continue;
      const absolute = join(dir, name);
      const stat = lstatSync(absolute);
      const base = { path: rel, mode: stat.mode & 0o7777, mtimeSec: Math.floor(stat.mtimeMs / 1000), absolute };
      if (stat.isDirectory()) {
        entries.push({ ...base, type: 'dir', size: 0, hash: '' });
        await walk(absolute, rel);
      } else if (stat.isSymbolicLink()) {
        const target = readlinkSync(absolute);
        entries.push({ ...base, type: 'symlink', size: 0, hash: sha256(Buffer.from(target)), linkTarget: target });
      } else if (stat.isFile()) {
        entries.push({ ...base, type: 'file', size: stat.size, hash: await fileHash(absolute, stat) });
      }
    }
  };
  await walk(root, '');
  return { root, dockerfile, entries: [...entries, ...generated(entries, extraFiles, root)] };
}

/** Entries for the extra files, and for any folder they need that the source does not have. */
function generated(entries: readonly ContextEntry[], extraFiles: readonly ExtraFile[], root: string): ContextEntry[] {
  const dirs = new Set(entries.filter((e) => e.type === 'dir').map((e) => e.path));
  const out: ContextEntry[] = [];
  for (const file of extraFiles) {
    const path = contextPath(file.path);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      out.push({ path: dir, type: 'dir', mode: 0o755, size: 0, mtimeSec: GENERATED_MTIME_SEC, hash: '', absolute: join(root, dir) });
    }
    const bytes = Buffer.from(file.content);
    out.push({ path, type: 'file', mode: 0o644, size: bytes.length, mtimeSec: GENERATED_MTIME_SEC, hash: sha256(bytes), absolute: '', content: file.content });
  }
  return out;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fileHash(absolute: string, stat: Stats): Promise<string> {
  const key = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const seen = known.get(absolute);
  if (seen?.key === key) return seen.hash;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absolute)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(absolute, { key, hash: digest });
  return digest;
}
