import type { SqlDatabase } from './sqlite';
import type { Deployment } from '../../../shared/api/deployments';

/** Writes one deployment record as its row: the indexed columns beside the whole record. */
export function putDeployment(db: SqlDatabase, record: Deployment): void {
  db.prepare(
    `INSERT INTO deployments (server_id, id, app, seq, status, queued, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (server_id, id) DO UPDATE SET app = excluded.app, seq = excluded.seq, status = excluded.status, queued = excluded.queued, doc = excluded.doc`,
  ).run(record.serverId, record.id, record.app, record.seq, record.status, record.timestamps.queued ?? '', JSON.stringify(record));
}

export function putApp(db: SqlDatabase, serverId: string, name: string, doc: unknown): void {
  db.prepare(
    `INSERT INTO apps (server_id, name, doc) VALUES (?, ?, ?)
     ON CONFLICT (server_id, name) DO UPDATE SET doc = excluded.doc, rev = apps.rev + 1`,
  ).run(serverId, name, JSON.stringify(doc));
}

/** Keeps an unreadable row's content in the quarantine table and takes it out of the records. */
export function quarantineRow(db: SqlDatabase, source: string, content: string): number {
  const { lastInsertRowid } = db.prepare('INSERT INTO quarantine (at, source, content) VALUES (?, ?, ?)').run(new Date().toISOString(), source, content);
  return Number(lastInsertRowid);
}
