import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Where unreadable store files are moved: kept, never deleted, so nothing a user had is lost. */
export function quarantineDir(home: string): string {
  return join(home, 'quarantine');
}

/** Moves a file aside into the home's quarantine folder and says where it went. */
export function quarantineFile(home: string, path: string, at: Date = new Date()): string {
  const dir = quarantineDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  let target = join(dir, `${stamp}-${basename(path)}`);
  for (let n = 2; existsSync(target); n += 1) target = join(dir, `${stamp}-${n}-${basename(path)}`);
  renameSync(path, target);
  return target;
}
