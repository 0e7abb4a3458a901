import type { HomeStore } from './home-store';

/**
 * One small document (the server list, trusted host keys, an app's rollback settings) kept as a row of the home's
 * database. `update` reads and writes in one transaction, so two processes changing it never lose each other's change.
 */
export class StoreDocument<T> {
  constructor(
    private readonly store: HomeStore,
    readonly key: string,
    private readonly fallback: () => T,
  ) {}

  read(): T {
    const row = this.store.db.prepare('SELECT doc FROM documents WHERE key = ?').get(this.key) as { doc: string } | undefined;
    if (!row) return this.fallback();
    try {
      return JSON.parse(row.doc) as T;
    } catch {
      this.store.transaction(() => {
        this.store.db.prepare('INSERT INTO quarantine (at, source, content) VALUES (?, ?, ?)').run(new Date().toISOString(), `documents/${this.key}`, row.doc);
        this.store.db.prepare('DELETE FROM documents WHERE key = ? AND doc = ?').run(this.key, row.doc);
      });
      this.store.warn({ code: 'RECORD_QUARANTINED', message: `The stored ${this.key} could not be read and was set aside (kept in berth.db, table quarantine); Berth starts it afresh.`, path: this.store.home });
      return this.fallback();
    }
  }

  write(value: T): void {
    this.store.db
      .prepare('INSERT INTO documents (key, doc) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET doc = excluded.doc')
      .run(this.key, JSON.stringify(value));
  }

  update(change: (current: T) => T): T {
    return this.store.transaction(() => {
      const next = change(this.read());
      this.write(next);
      return next;
    });
  }
}
