import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { betterSqlite, nodeSqlite, type NodeSqlite, type SqlDatabase } from '../../../electron/core/store/sqlite';
import { isCorruption } from '../../../electron/core/store/database-file';
import { SCHEMA } from '../../../electron/core/store/schema';

const builtin = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
// better-sqlite3 is built for the Node that installed it; a newer Node checks only its own driver
const native = !builtin;

function exercise(open: (path: string) => SqlDatabase): void {
  const db = open(join(mkdtempSync(join(tmpdir(), 'berth-sql-')), 'berth.db'));
  db.pragma('busy_timeout = 1000');
  expect(db.pragma('journal_mode = WAL')).toBe('wal');
  db.exec(SCHEMA);
  db.exec('BEGIN IMMEDIATE');
  expect(db.inTransaction).toBe(true);
  const { lastInsertRowid } = db.prepare('INSERT INTO quarantine (at, source, content) VALUES (?, ?, ?)').run('now', 'x', '{');
  db.exec('ROLLBACK');
  expect(db.inTransaction).toBe(false);
  expect(Number(lastInsertRowid)).toBe(1);
  expect(db.prepare('SELECT COUNT(*) AS n FROM quarantine').get()).toEqual({ n: 0 });
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('a', '1');
  expect(db.prepare('SELECT key, value FROM meta').all()).toEqual([{ key: 'a', value: '1' }]);
  expect(db.pragma('quick_check')).toBe('ok');
  db.close();
  expect(db.open).toBe(false);
}

describe('the SQLite drivers', () => {
  it.runIf(native)('better-sqlite3 does what the store asks', () => exercise(betterSqlite));
  it.runIf(builtin)("the runtime's node:sqlite does the same", () => exercise((path) => nodeSqlite(builtin as NodeSqlite, path)));
});

describe('a database that cannot be read', () => {
  it('is told apart from other failures, from either driver', () => {
    expect(isCorruption(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    expect(isCorruption(Object.assign(new Error('database disk image is malformed'), { code: 'ERR_SQLITE_ERROR', errcode: 11 }))).toBe(true);
    expect(isCorruption(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isCorruption(new Error('EACCES'))).toBe(false);
  });
});
