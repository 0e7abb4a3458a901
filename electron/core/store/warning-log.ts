import type { SqlDatabase } from './sqlite';
import type { StoreWarning } from '../../../shared/api/store';

type Listener = (warning: StoreWarning) => void;

interface Row {
  id: number;
  at: string;
  code: StoreWarning['code'];
  message: string;
  path: string | null;
}

/**
 * The faults found in a home's records, kept in its database until dismissed, so a quarantine found by the CLI is
 * also shown in the window (and the other way round). Warnings raised by this process are also handed to listeners.
 */
export class WarningLog {
  private readonly listeners = new Set<Listener>();
  private readonly raised: StoreWarning[] = [];

  constructor(private readonly db: SqlDatabase) {}

  add(warning: Omit<StoreWarning, 'id' | 'at'>): StoreWarning {
    const at = new Date().toISOString();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO warnings (at, code, message, path) VALUES (?, ?, ?, ?)')
      .run(at, warning.code, warning.message, warning.path);
    const stored: StoreWarning = { id: Number(lastInsertRowid), at, ...warning };
    this.raised.push(stored);
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /** Undismissed warnings, newest first. */
  list(limit = 100): StoreWarning[] {
    return (this.db.prepare('SELECT id, at, code, message, path FROM warnings WHERE dismissed = 0 ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map((r) => ({ ...r }));
  }

  dismiss(ids: readonly number[]): number {
    const stmt = this.db.prepare('UPDATE warnings SET dismissed = 1 WHERE id = ? AND dismissed = 0');
    let changed = 0;
    for (const id of ids) changed += Number(stmt.run(id).changes);
    return changed;
  }

  /** What this process found (the CLI prints these once, on stderr). */
  raisedHere(): StoreWarning[] {
    return [...this.raised];
  }

  onWarning(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
