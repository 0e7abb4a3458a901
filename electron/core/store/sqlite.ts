import BetterSqlite from 'better-sqlite3';

type Value = string | number | bigint | null;

export interface SqlStatement {
  get(...args: Value[]): unknown;
  all(...args: Value[]): unknown[];
  run(...args: Value[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}

/** The few calls the store makes on a SQLite connection, whichever library provides it. */
export interface SqlDatabase {
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** A pragma's single value (`PRAGMA name` or `PRAGMA name = value`). */
  pragma(statement: string): unknown;
  close(): void;
}

export interface NodeSqlite {
  DatabaseSync: new (path: string) => {
    prepare(sql: string): SqlStatement;
    exec(sql: string): void;
    close(): void;
  };
}

/**
 * Opens a SQLite database file. Inside Electron (the desktop app, and the CLI it ships) the runtime's own
 * `node:sqlite` is used, so no native module has to match Electron's ABI; plain Node 20 uses better-sqlite3.
 * Both write the same file format and the same write-ahead log, so the two kinds of process share one home.
 */
export function openDatabase(path: string): SqlDatabase {
  const builtin = process.versions.electron ? (process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined) : undefined;
  return builtin ? nodeSqlite(builtin, path) : betterSqlite(path);
}

export function betterSqlite(path: string): SqlDatabase {
  const db = new BetterSqlite(path);
  return {
    get open() {
      return db.open;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    prepare: (sql) => db.prepare(sql) as unknown as SqlStatement,
    exec: (sql) => void db.exec(sql),
    pragma: (statement) => db.pragma(statement, { simple: true }),
    close: () => void db.close(),
  };
}

export function nodeSqlite(module: NodeSqlite, path: string): SqlDatabase {
  const db = new module.DatabaseSync(path);
  let open = true;
  let depth = 0;
  return {
    get open() {
      return open;
    },
    get inTransaction() {
      return depth > 0;
    },
    prepare: (sql) => db.prepare(sql),
    exec(sql) {
      db.exec(sql);
      if (/^\s*BEGIN\b/i.test(sql)) depth += 1;
      else if (/^\s*(COMMIT|ROLLBACK|END)\b/i.test(sql)) depth = 0;
    },
    pragma: (statement) => {
      const row = db.prepare(`PRAGMA ${statement}`).get() as Record<string, unknown> | undefined;
      return row ? Object.values(row)[0] : undefined;
    },
    close() {
      open = false;
      db.close();
    },
  };
}
