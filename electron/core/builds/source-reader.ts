import { existsSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BerthError } from '../../../shared/errors';
import type { ClonedRepo } from '../deploy/source-git';
import { shellQuote } from '../ssh/remote-exec';
import type { ServerLink } from '../ssh/server-link';
import { FACT_FILES, FACT_FILE_LIMIT, LISTING_DEPTH, LISTING_LIMIT, type SourceFacts } from './source-facts';

/** Folders no stack is told by, and which can hold more files than the rest of the project. */
export const SKIPPED = new Set(['node_modules', '.git', 'vendor', '__pycache__', '.venv', 'venv']);

function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(FACT_FILE_LIMIT);
    const length = readSync(fd, buffer, 0, FACT_FILE_LIMIT, 0);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The facts of a build context on this computer. */
export function folderFacts(root: string, contextDir: string): SourceFacts {
  const context = resolve(root, contextDir);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new BerthError('SOURCE_INVALID', `The build context ${context} is not a folder on this computer.`);
  }
  const files: string[] = [];
  const walk = (dir: string, prefix: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= LISTING_LIMIT) return;
      const rel = prefix + entry.name;
      if (entry.isFile()) files.push(rel);
      else if (entry.isDirectory() && depth < LISTING_DEPTH && !SKIPPED.has(entry.name)) walk(join(dir, entry.name), `${rel}/`, depth + 1);
    }
  };
  walk(context, '', 1);
  const contents: Record<string, string> = {};
  for (const name of FACT_FILES) if (files.includes(name)) contents[name] = readHead(join(context, name));
  return { files, contents };
}

/** The facts of a commit's tree (or a sub-folder of it) in a clone on the server, read with git itself. */
export async function cloneFacts(link: ServerLink, repo: ClonedRepo, contextDir: string, signal: AbortSignal): Promise<SourceFacts> {
  const subdir = contextDir.replace(/^\.\/?/, '').replace(/\/$/, '');
  const tree = subdir === '' ? repo.commit.hash : `${repo.commit.hash}:${subdir}`;
  const git = `git -C ${shellQuote(repo.dir)}`;
  const listed = await link.exec(`${git} ls-tree -r --name-only ${shellQuote(tree)} | head -n ${LISTING_LIMIT * 4}`, { signal, timeoutMs: 60_000 });
  if (listed.code !== 0) throw new BerthError('GIT_FAILED', `Could not list ${contextDir} of ${repo.commit.hash.slice(0, 12)} on the server: ${listed.stderr.trim()}`);
  const files = listed.stdout
    .split('\n')
    .filter((path) => path !== '' && path.split('/').length <= LISTING_DEPTH && !path.split('/').some((part) => SKIPPED.has(part)))
    .slice(0, LISTING_LIMIT);
  const contents: Record<string, string> = {};
  for (const name of FACT_FILES) {
    if (!files.includes(name)) continue;
    const blob = `${repo.commit.hash}:${subdir === '' ? name : `${subdir}/${name}`}`;
    const shown = await link.exec(`${git} cat-file blob ${shellQuote(blob)} | head -c ${FACT_FILE_LIMIT}`, {
      signal,
      timeoutMs: 60_000,
    });
    if (shown.code === 0) contents[name] = shown.stdout;
  }
  return { files, contents };
}
