import type { ContextEntry } from './local-manifest';

/**
 * What the server's copy of a build context holds, and what to change so it equals the local one. The server keeps
 * three things beside its folder: `find` lines of the folder as they were right after the last change (`stat`), and
 * an append-only list of `hash path` records (`manifest`, the last record of a path wins). A path's recorded hash is
 * trusted only while its `find` line (type, mode, size, ctime) is unchanged: a file changed, replaced or half
 * written by anyone since then is sent again. ctime cannot be set back by hand, so even a restored mtime shows.
 */

export interface ListedEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  line: string;
}

/** The `find -printf` format both listings use: NUL-ended records, the path last. */
export const LISTING_FORMAT = '%y %m %s %C@ %P\\0';

const TYPES: Record<string, ListedEntry['type']> = { f: 'file', d: 'dir', l: 'symlink' };

/** `find` records (`%y %m %s %C@ %P`) by path. */
export function parseListing(text: string): Map<string, ListedEntry> {
  const out = new Map<string, ListedEntry>();
  for (const record of text.split('\0')) {
    const match = /^(\S) ([0-7]+) (\d+) (\S+) (.+)$/s.exec(record);
    if (!match) continue;
    const [, y = '', mode = '', , , path = ''] = match;
    out.set(path, { type: TYPES[y] ?? 'other', mode: parseInt(mode, 8), line: record });
  }
  return out;
}

/** `hash path` records, the last of a path winning. */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const record of text.split('\0')) {
    const match = /^([0-9a-f]{64}) (.+)$/s.exec(record);
    if (match) out.set(match[2] ?? '', match[1] ?? '');
  }
  return out;
}

export function manifestRecords(entries: readonly ContextEntry[]): string {
  return entries
    .filter((e) => e.type !== 'dir')
    .map((e) => `${e.hash} ${e.path}\0`)
    .join('');
}

export interface ServerState {
  listing: Map<string, ListedEntry>;
  saved: Map<string, ListedEntry>;
  manifest: Map<string, string>;
  /** Records in the manifest file, duplicates included: it is rewritten whole once it has grown well past the tree. */
  manifestRecords: number;
}

export interface SyncPlan {
  /** Local entries the server must receive, folders first. */
  send: ContextEntry[];
  /** Server paths to delete first: gone locally, or of another type there; none is inside another. */
  remove: string[];
  /** Whether the manifest is written anew instead of appended to. */
  rewriteManifest: boolean;
  /** Files whose bytes already are on the server. */
  kept: number;
}

export function planSync(local: readonly ContextEntry[], server: ServerState): SyncPlan {
  const wanted = new Map(local.map((e) => [e.path, e]));
  const remove = new Set<string>();
  for (const [path, listed] of [...server.listing].sort(([a], [b]) => depth(a) - depth(b))) {
    if (insideAny(remove, path)) continue;
    const mine = wanted.get(path);
    if (!mine || mine.type !== listed.type) remove.add(path);
  }
  const send: ContextEntry[] = [];
  let kept = 0;
  for (const entry of local) {
    const listed = server.listing.get(entry.path);
    const present = listed !== undefined && listed.type === entry.type && listed.mode === entry.mode && !remove.has(entry.path);
    if (present && (entry.type === 'dir' || trusted(server, entry))) {
      if (entry.type === 'file') kept++;
      continue;
    }
    send.push(entry);
  }
  const files = local.filter((e) => e.type !== 'dir').length;
  return { send, remove: [...remove], kept, rewriteManifest: server.manifestRecords > 2 * files + 1000 };
}

function trusted(server: ServerState, entry: ContextEntry): boolean {
  const listed = server.listing.get(entry.path);
  const saved = server.saved.get(entry.path);
  return listed !== undefined && saved !== undefined && listed.line === saved.line && server.manifest.get(entry.path) === entry.hash;
}

function depth(path: string): number {
  return path.split('/').length;
}

function insideAny(dirs: ReadonlySet<string>, path: string): boolean {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    if (dirs.has(path.slice(0, slash))) return true;
  }
  return false;
}
