import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreWarning } from '../../../shared/api/store';
import { keepFreshBackup, openOrRecover } from './database-file';
import { importLegacyHome } from './legacy-import';
import { SCHEMA } from './schema';
import type { SqlDatabase } from './sqlite';
import { StoreDocument } from './store-document';
import { WarningLog } from './warning-log';

const open = new Map<string, HomeStore>();

/**
 * Every record of one Berth home in one SQLite database (`berth.db`, WAL journal), shared by the desktop app, the
 * browser bridge and any number of CLI processes. Each read-modify-write runs in one `BEGIN IMMEDIATE` transaction,
 * so no process ever writes over a change it did not see; a busy database is waited for, not failed.
 */
export class HomeStore {
  readonly warnings: WarningLog;

  private constructor(
    readonly home: string,
    readonly db: SqlDatabase,
  ) {
    this.warnings = new WarningLog(db);
  }

  /** The one connection of this process to the home's database, opened (and the old JSON home imported) on first use. */
  static open(home: string): HomeStore {
    const existing = open.get(home);
    if (existing?.db.open) return existing;
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const path = join(home, 'berth.db');
    const { db, warnings } = openOrRecover(path, home, (candidate) => prepare(candidate));
    const store = new HomeStore(home, db);
    for (const warning of warnings) store.warnings.add(warning);
    for (const warning of importLegacyHome(store)) store.warnings.add(warning);
    keepFreshBackup(db, path);
    open.set(home, store);
    return store;
  }

  /** Closes this process's connection (the engine does on close); the next open() opens it again. */
  static close(home: string): void {
    const store = open.get(home);
    open.delete(home);
    if (store?.db.open) store.db.close();
  }

  /** Runs `work` as one write transaction: nothing another process writes can land between its reads and writes. */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  document<T>(key: string, fallback: () => T): StoreDocument<T> {
    return new StoreDocument<T>(this, key, fallback);
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Announces a fault found in the records (also kept in the database, so every window and command sees it). */
  warn(warning: Omit<StoreWarning, 'id' | 'at'>): void {
    this.warnings.add(warning);
  }
}

function prepare(db: SqlDatabase): void {
  // another process may hold the write lock for a moment: wait for it rather than fail
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
}

export type { StoreWarning };
