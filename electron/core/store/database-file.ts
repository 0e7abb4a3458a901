import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { BerthError } from '../../../shared/errors';
import type { StoreWarning } from '../../../shared/api/store';
import { quarantineFile } from './quarantine';
import { openDatabase, type SqlDatabase } from './sqlite';

type NewWarning = Omit<StoreWarning, 'id' | 'at'>;

const BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
const CORRUPTION = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];
/** The same two results as numbers, as node:sqlite reports them (`errcode`, extended codes in the high bits). */
const CORRUPTION_CODES = new Set([11, 26]);

export function isCorruption(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && CORRUPTION.some((c) => code.startsWith(c))) return true;
  return typeof errcode === 'number' && CORRUPTION_CODES.has(errcode & 0xff);
}

/**
 * Opens the database, or when it cannot be read moves it aside (kept) and restores its backup, announcing either.
 * Checks cost the same whatever the history's length: the header and schema are read, and a file shorter than its
 * header says (truncated) counts as unreadable; a deeper check runs with the daily backup.
 */
export function openOrRecover(path: string, home: string, prepare: (db: SqlDatabase) => void): { db: SqlDatabase; warnings: NewWarning[] } {
  const first = tryOpen(path, prepare);
  if (first.ok) return { db: guarded(first.db, path), warnings: [] };
  const kept = quarantineWithSidecars(home, path);
  rmSync(damageMark(path), { force: true });
  const backup = `${path}.bak`;
  if (existsSync(backup)) {
    copyFileSync(backup, path);
    const restored = tryOpen(path, prepare);
    if (restored.ok) {
      const when = statSync(backup).mtime.toISOString();
      return {
        db: guarded(restored.db, path),
        warnings: [{
          code: 'BACKUP_RESTORED',
          message: `${path} could not be read (${first.reason}). It was moved to ${kept} and the backup of ${when} was restored: changes made after that are only in the moved file.`,
          path: kept,
        }],
      };
    }
    quarantineWithSidecars(home, path);
  }
  const fresh = openDatabase(path);
  prepare(fresh);
  return {
    db: guarded(fresh, path),
    warnings: [{
      code: 'FILE_QUARANTINED',
      message: `${path} could not be read (${first.reason}) and no usable backup exists. It was moved to ${kept}; Berth starts with empty records.`,
      path: kept,
    }],
  };
}

/** Copies the database to `berth.db.bak` once a day, after checking it in depth; a damaged one keeps the old backup. */
export function keepFreshBackup(db: SqlDatabase, path: string, now: number = Date.now()): void {
  const backup = `${path}.bak`;
  const age = existsSync(backup) ? now - statSync(backup).mtimeMs : Infinity;
  if (age < BACKUP_EVERY_MS) return;
  if (db.pragma('quick_check') !== 'ok') return;
  const tmp = `${backup}.${process.pid}.tmp`;
  db.prepare('VACUUM INTO ?').run(tmp);
  renameSync(tmp, backup);
}

function tryOpen(path: string, prepare: (db: SqlDatabase) => void): { ok: true; db: SqlDatabase } | { ok: false; reason: string } {
  let db: SqlDatabase | undefined;
  if (existsSync(damageMark(path))) return { ok: false, reason: readFileSync(damageMark(path), 'utf8') };
  try {
    db = openDatabase(path);
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

function truncation(db: SqlDatabase, path: string): string | null {
  // pages may still sit in the write-ahead log, which is checkpointed into the file later
  if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) return null;
  const pages = db.pragma('page_count') as number;
  const pageSize = db.pragma('page_size') as number;
  const size = statSync(path).size;
  return size < pages * pageSize ? `the file is ${size} bytes but its header counts ${pages * pageSize}: it was cut short` : null;
}

/** Left beside the database when damage shows up in the middle of a run, so the next start recovers it. */
function damageMark(path: string): string {
  return `${path}.damaged`;
}

/**
 * Damage found after opening (a page deep in the file) fails that call with STORE_CORRUPT naming the file, and marks
 * the file so the next process to open it moves it aside and restores the backup, as at start.
 */
export function guarded(db: SqlDatabase, path: string): SqlDatabase {
  const check = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      writeFileSync(damageMark(path), (error as Error).message);
      throw new BerthError('STORE_CORRUPT', `${path} is damaged (${(error as Error).message}). Close Berth's windows and commands: the next one to start moves it aside and restores its backup.`, { path });
    }
  };
  return {
    get open() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    prepare(sql) {
      const statement = check(() => db.prepare(sql));
      return {
        get: (...args) => check(() => statement.get(...args)),
        all: (...args) => check(() => statement.all(...args)),
        run: (...args) => check(() => statement.run(...args)),
      };
    },
    exec: (sql) => check(() => db.exec(sql)),
    pragma: (statement) => check(() => db.pragma(statement)),
    close: () => db.close(),
  };
}

function quarantineWithSidecars(home: string, path: string): string {
  const kept = quarantineFile(home, path);
  for (const sidecar of ['-wal', '-shm']) if (existsSync(path + sidecar)) quarantineFile(home, path + sidecar);
  return kept;
}
