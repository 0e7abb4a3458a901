import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, statSync } from 'node:fs';
import type { StoreWarning } from '../../../shared/api/store';
import { quarantineFile } from './quarantine';

type NewWarning = Omit<StoreWarning, 'id' | 'at'>;

const BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
const CORRUPTION = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && [...CORRUPTION].some((c) => code.startsWith(c));
}

/**
 * Opens the database, or when it cannot be read moves it aside (kept) and restores its backup, announcing either.
 * Checks cost the same whatever the history's length: the header and schema are read, and a file shorter than its
 * header says (truncated) counts as unreadable; a deeper check runs with the daily backup.
 */
export function openOrRecover(path: string, home: string, prepare: (db: Database.Database) => void): { db: Database.Database; warnings: NewWarning[] } {
  const first = tryOpen(path, prepare);
  if (first.ok) return { db: first.db, warnings: [] };
  const kept = quarantineWithSidecars(home, path);
  const backup = `${path}.bak`;
  if (existsSync(backup)) {
    copyFileSync(backup, path);
    const restored = tryOpen(path, prepare);
    if (restored.ok) {
      const when = statSync(backup).mtime.toISOString();
      return {
        db: restored.db,
        warnings: [{
          code: 'BACKUP_RESTORED',
          message: `${path} could not be read (${first.reason}). It was moved to ${kept} and the backup of ${when} was restored: changes made after that are only in the moved file.`,
          path: kept,
        }],
      };
    }
    quarantineWithSidecars(home, path);
  }
  const fresh = new Database(path);
  prepare(fresh);
  return {
    db: fresh,
    warnings: [{
      code: 'FILE_QUARANTINED',
      message: `${path} could not be read (${first.reason}) and no usable backup exists. It was moved to ${kept}; Berth starts with empty records.`,
      path: kept,
    }],
  };
}

/** Copies the database to `berth.db.bak` once a day, after checking it in depth; a damaged one keeps the old backup. */
export function keepFreshBackup(db: Database.Database, path: string, now: number = Date.now()): void {
  const backup = `${path}.bak`;
  const age = existsSync(backup) ? now - statSync(backup).mtimeMs : Infinity;
  if (age < BACKUP_EVERY_MS) return;
  if (db.pragma('quick_check', { simple: true }) !== 'ok') return;
  const tmp = `${backup}.${process.pid}.tmp`;
  db.prepare('VACUUM INTO ?').run(tmp);
  renameSync(tmp, backup);
}

function tryOpen(path: string, prepare: (db: Database.Database) => void): { ok: true; db: Database.Database } | { ok: false; reason: string } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    prepare(db);
    const truncated = truncation(db, path);
    if (truncated) throw Object.assign(new Error(truncated), { code: 'SQLITE_CORRUPT' });
    return { ok: true, db };
  } catch (error) {
    db?.close();
    if (!isCorruption(error)) throw error;
    return { ok: false, reason: (error as Error).message };
  }
}

function truncation(db: Database.Database, path: string): string | null {
  // pages may still sit in the write-ahead log, which is checkpointed into the file later
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) return null;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const size = statSync(path).size;
  return size < pages * pageSize ? `the file is ${size} bytes but its header counts ${pages * pageSize}: it was cut short` : null;
}

function quarantineWithSidecars(home: string, path: string): string {
  const kept = quarantineFile(home, path);
  for (const sidecar of ['-wal', '-shm']) if (existsSync(path + sidecar)) quarantineFile(home, path + sidecar);
  return kept;
}
