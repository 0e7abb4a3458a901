import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ArchiveInfo } from '../../../shared/api/archives';
import type { BuildSettings } from '../../../shared/api/apps';
import { ARCHIVE_MAX_ENTRIES, DEFAULT_ARCHIVE_MAX_MB, DEFAULT_ARCHIVE_MAX_UNPACKED_MB } from '../../../shared/defaults';
import { BerthError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { needsFacts } from '../builds/build-plan';
import { FACT_FILE_LIMIT, FACT_FILES, LISTING_DEPTH, LISTING_LIMIT, type SourceFacts } from '../builds/source-facts';
import { SKIPPED } from '../builds/source-reader';
import { ArchiveLayout } from './archive-layout';
import { corrupt, formatOf, readEntries, type ReadEntry } from './archive-entries';
import { checkEntry, rootSegments, segmentsOf } from './entry-check';

export interface ArchiveLimits {
  /** The archive file itself. */
  maxBytes: number;
  /** Everything it unpacks to, as its entries declare (and are held to while they are read). */
  maxUnpackedBytes: number;
  maxEntries: number;
}

const MIB = 1024 * 1024;

function mib(value: string | undefined, fallback: number, variable: string): number {
  if (value === undefined || value.trim() === '') return fallback * MIB;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new BerthError('INVALID_INPUT', `${variable} is "${value}": give a number of MiB, such as ${fallback}.`);
  return Math.floor(n * MIB);
}

/** The limits in force, read when an archive is checked so a changed setting applies to the next drop. */
export function archiveLimits(env: NodeJS.ProcessEnv = process.env): ArchiveLimits {
  return {
    maxBytes: mib(env.BERTH_ARCHIVE_MAX_MB, DEFAULT_ARCHIVE_MAX_MB, 'BERTH_ARCHIVE_MAX_MB'),
    maxUnpackedBytes: mib(env.BERTH_ARCHIVE_MAX_UNPACKED_MB, DEFAULT_ARCHIVE_MAX_UNPACKED_MB, 'BERTH_ARCHIVE_MAX_UNPACKED_MB'),
    maxEntries: ARCHIVE_MAX_ENTRIES,
  };
}

/** An archive that passed every check, with what streaming it as a build context needs. */
export interface CheckedArchive {
  path: string;
  info: ArchiveInfo;
  /** To notice the file changing between the check and the build. */
  mtimeMs: number;
  /** The build context's folder in the archive: the root, then the build settings' context. */
  contextRoot: string[];
  /** The Dockerfile's path below the context. */
  dockerfile: string;
  /** The context's .dockerignore, honoured as a folder source honours it. */
  ignoreText: string;
  /** What zero-config detection reads, gathered by the same pass; null when the build mode does not detect. */
  facts: SourceFacts | null;
}

export interface CheckOptions {
  /** The name shown and recorded (a dropped file's name); the path's last part by default. */
  name: string;
  root: string;
  build: BuildSettings;
  limits: ArchiveLimits;
}

/** A .dockerignore longer than this is not one. */
const MAX_IGNORE_BYTES = 1024 * 1024;

/**
 * Reads the whole archive once, from disk and in order, before anything is sent: every entry is judged by
 * checkEntry, the sizes are held to the limits, and the root and its Dockerfile must be there. The file's sha256 is
 * computed by the same pass.
 */
export async function checkArchive(path: string, options: CheckOptions): Promise<CheckedArchive> {
  const { name, limits } = options;
  const file = await stat(path).catch(() => null);
  if (!file?.isFile()) throw new BerthError('SOURCE_INVALID', `There is no archive file at ${path}. Give the path of a .zip or .tar.gz file on this computer.`);
  if (file.size > limits.maxBytes) {
    throw new BerthError('ARCHIVE_TOO_LARGE', `${name} is ${formatBytes(file.size)}, over the archive limit of ${formatBytes(limits.maxBytes)}. Leave build output and dependencies out of it, or raise BERTH_ARCHIVE_MAX_MB.`, { size: file.size, limit: limits.maxBytes });
  }
  const format = await formatOf(path);
  const contextRoot = [...rootSegments(options.root), ...rootSegments(options.build.context)];
  const dockerfile = (segmentsOf(options.build.dockerfile) ?? [options.build.dockerfile]).join('/');
  const layout = new ArchiveLayout(name, contextRoot, dockerfile);
  const digest = sha256Of(path);
  let entries = 0;
  let unpacked = 0;
  let ignoreText = '';
  const facts = needsFacts(options.build) ? { files: [] as string[], contents: {} as Record<string, string> } : null;
  try {
    for await (const entry of readEntries(path, format)) {
      if (++entries > limits.maxEntries) throw tooMany(name, limits.maxEntries);
      unpacked += entry.size;
      if (unpacked > limits.maxUnpackedBytes) throw unpacksTooLarge(name, limits.maxUnpackedBytes);
      const verdict = checkEntry(entry, contextRoot);
      if (verdict.action === 'refuse') throw verdict.error;
      const kept = verdict.action === 'keep' ? verdict.path : null;
      layout.see(segmentsOf(entry.name) ?? [], kept);
      if (kept === '.dockerignore' && entry.kind === 'file') ignoreText = await textOf(entry, name);
      else if (facts && kept !== null && entry.kind === 'file') await gather(facts, kept, entry);
    }
  } catch (error) {
    await digest.catch(() => undefined);
    throw corrupt(name, error);
  }
  // a static, zero-config or kept Dockerfile is written into the context: the archive need not have one
  const dockerfileRequired = (options.build.mode ?? 'dockerfile') === 'dockerfile' && !options.build.dockerfileText;
  const problem = layout.problem({ dockerfileRequired });
  if (problem) throw problem;
  return {
    path,
    info: { name, size: file.size, sha256: await digest, format, root: rootSegments(options.root).join('/') },
    mtimeMs: file.mtimeMs,
    contextRoot,
    dockerfile,
    ignoreText,
    facts,
  };
}

/** As a folder's listing for detection: a few levels deep, without dependency folders, manifests read. */
async function gather(facts: { files: string[]; contents: Record<string, string> }, path: string, entry: ReadEntry): Promise<void> {
  const parts = path.split('/');
  if (facts.files.length >= LISTING_LIMIT || parts.length > LISTING_DEPTH || parts.some((part) => SKIPPED.has(part))) return;
  facts.files.push(path);
  if ((FACT_FILES as readonly string[]).includes(path)) facts.contents[path] = await headOf(entry, FACT_FILE_LIMIT);
}

function tooMany(name: string, limit: number): BerthError {
  return new BerthError('ARCHIVE_TOO_LARGE', `${name} holds more than ${limit.toLocaleString('en')} entries. Leave dependencies and build output (node_modules, dist…) out of it.`, { limit });
}

function unpacksTooLarge(name: string, limit: number): BerthError {
  return new BerthError('ARCHIVE_TOO_LARGE', `${name} unpacks to more than ${formatBytes(limit)}, the limit for what an archive may hold. Leave large files out of it, or raise BERTH_ARCHIVE_MAX_UNPACKED_MB.`, { limit });
}

async function textOf(entry: ReadEntry, name: string): Promise<string> {
  if (entry.size > MAX_IGNORE_BYTES) throw new BerthError('ARCHIVE_UNSAFE', `The .dockerignore in ${name} is ${formatBytes(entry.size)}: too large to be one. Make it a short list of patterns.`);
  return headOf(entry, MAX_IGNORE_BYTES);
}

/** The first bytes of an entry as text; the rest is read past, not kept. */
async function headOf(entry: ReadEntry, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of await entry.content()) {
    if (length < limit) chunks.push((chunk as Buffer).subarray(0, limit - length));
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as Readable) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
