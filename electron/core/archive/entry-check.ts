import { BerthError } from '../../../shared/errors';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** One entry of a zip or tar, as the archive states it. */
export interface EntryFacts {
  /** The path as written in the archive. */
  name: string;
  kind: EntryKind;
  /** A symlink's target as stored, or the archive path a hard link names. */
  linkTarget?: string | undefined;
}

export type EntryVerdict =
  /** Goes into the build context at `path` (relative to the build root, "/"-separated). */
  | { action: 'keep'; path: string; linkTarget?: string }
  /** Outside the build root, or the root folder itself. */
  | { action: 'skip' }
  | { action: 'refuse'; error: BerthError };

/** A leading slash or backslash, or a drive letter: where the path starts is not the archive. */
const ABSOLUTE = /^([a-zA-Z]:|[\\/])/;

/** `a\b/./c/` → ['a', 'b', 'c']; null when the path is absolute or climbs with "..". */
export function segmentsOf(path: string): string[] | null {
  if (ABSOLUTE.test(path)) return null;
  const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  return parts.includes('..') ? null : parts;
}

/** The root as segments; '' is the archive's top. Callers validate it first (ArchiveRoot in the contract). */
export function rootSegments(root: string): string[] {
  return segmentsOf(root) ?? [];
}

function refuse(name: string, why: string): EntryVerdict {
  return {
    action: 'refuse',
    error: new BerthError('ARCHIVE_UNSAFE', `The archive's entry "${name}" ${why}, so it was not sent. Make the archive again from the project folder (zip -r or tar czf inside it).`, {
      entry: name,
    }),
  };
}

function within(parts: string[], root: string[]): string[] | null {
  if (parts.length < root.length || root.some((r, i) => parts[i] !== r)) return null;
  return parts.slice(root.length);
}

/**
 * Decides what happens to one entry, before any of it is sent: kept at its path below the build root, skipped
 * (elsewhere in the archive), or refused because unpacking it would write or point outside the root (zip-slip,
 * absolute paths, links leading out, devices).
 */
export function checkEntry(entry: EntryFacts, root: string[]): EntryVerdict {
  const parts = segmentsOf(entry.name);
  if (parts === null) return refuse(entry.name, ABSOLUTE.test(entry.name) ? 'is an absolute path' : 'climbs out of the archive with ".."');
  if (entry.kind === 'other') return refuse(entry.name, 'is a device or a pipe, which a build context cannot hold');
  const rel = within(parts, root);
  if (rel === null || rel.length === 0) return { action: 'skip' };
  const path = rel.join('/');
  if (entry.kind === 'symlink') return checkSymlink(entry, rel, path);
  if (entry.kind === 'hardlink') {
    const target = segmentsOf(entry.linkTarget ?? '');
    const inside = target && target.length > 0 ? within(target, root) : null;
    if (!inside || inside.length === 0) return refuse(entry.name, `is a hard link to "${entry.linkTarget ?? ''}", outside the build root`);
    return { action: 'keep', path, linkTarget: inside.join('/') };
  }
  return { action: 'keep', path };
}

function checkSymlink(entry: EntryFacts, rel: string[], path: string): EntryVerdict {
  const target = entry.linkTarget ?? '';
  if (target === '') return refuse(entry.name, 'is a link with no target');
  if (ABSOLUTE.test(target)) return refuse(entry.name, `is a link to the absolute path "${target}"`);
  const at = rel.slice(0, -1);
  for (const part of target.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return refuse(entry.name, `is a link to "${target}", outside the build root`);
      at.pop();
    } else {
      at.push(part);
    }
  }
  return { action: 'keep', path, linkTarget: target };
}
