import { rmSync } from 'node:fs';
import { Deployment } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { nextSeq } from '../deploy/seq-floor';
import type { BerthPaths } from '../home';
import { HomeStore } from '../store/home-store';
import { putDeployment, quarantineRow } from '../store/rows';
import { withHonestStatus } from './legacy-status';

interface Row {
  server_id: string;
  id: string;
  doc: string;
}

/**
 * The per-server deployment registry: one row per deployment in the home's database, shared by every Berth process
 * on this home. Lookups go through indexes (an app's live release, its newest records, its next seq), so they cost
 * the same however long the history. A row that cannot be read is quarantined and announced; the others go on.
 */
export class ReleaseStore {
  constructor(private readonly paths: BerthPaths) {}

  private get store(): HomeStore {
    return HomeStore.open(this.paths.home);
  }

  save(record: Deployment): Deployment {
    const parsed = Deployment.parse(record);
    putDeployment(this.store.db, parsed);
    return parsed;
  }

  /**
   * Records a new deployment of an app with the next seq, allocated and written in one transaction: two processes
   * deploying the same app at once get two different numbers.
   */
  /** `onServer` is the highest seq the server shows for the app, which the new one must pass too (see seq-floor.ts). */
  create(serverId: string, app: string, build: (seq: number) => Deployment, onServer = 0): Deployment {
    const store = this.store;
    return store.transaction(() => {
      const row = store.db.prepare('SELECT MAX(seq) AS seq FROM deployments WHERE server_id = ? AND app = ?').get(serverId, app) as { seq: number | null };
      return this.save(build(nextSeq(row.seq, onServer)));
    });
  }

  get(serverId: string, id: string): Deployment {
    const found = this.find(serverId, id);
    if (!found) throw new BerthError('DEPLOYMENT_NOT_FOUND', `There is no deployment ${id} on server ${serverId}.`);
    return found;
  }

  find(serverId: string, id: string): Deployment | undefined {
    return this.rows('SELECT server_id, id, doc FROM deployments WHERE server_id = ? AND id = ?', serverId, id)[0];
  }

  /** Newest first (by seq within an app, by queue time across apps). */
  list(serverId: string, filter: { app?: string | undefined; limit?: number; before?: number | undefined } = {}): Deployment[] {
    const where = ['server_id = ?'];
    const args: (string | number)[] = [serverId];
    if (filter.app !== undefined) {
      where.push('app = ?');
      args.push(filter.app);
    }
    if (filter.before !== undefined) {
      where.push('seq < ?');
      args.push(filter.before);
    }
    const order = filter.app !== undefined ? 'seq DESC' : 'queued DESC, seq DESC';
    const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    return this.rows(`SELECT server_id, id, doc FROM deployments WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}`, ...args);
  }

  nextSeq(serverId: string, app: string): number {
    const row = this.store.db.prepare('SELECT MAX(seq) AS seq FROM deployments WHERE server_id = ? AND app = ?').get(serverId, app) as { seq: number | null };
    return (row.seq ?? 0) + 1;
  }

  live(serverId: string, app: string): Deployment | undefined {
    return this.rows("SELECT server_id, id, doc FROM deployments WHERE server_id = ? AND status = 'live' AND app = ? ORDER BY seq DESC LIMIT 1", serverId, app)[0];
  }

  /** Records of a server in one of these states (reconciliation looks at the unfinished ones). */
  withStatus(serverId: string, statuses: readonly Deployment['status'][]): Deployment[] {
    if (statuses.length === 0) return [];
    return this.rows(
      `SELECT server_id, id, doc FROM deployments WHERE server_id = ? AND status IN (${statuses.map(() => '?').join(', ')}) ORDER BY queued DESC`,
      serverId,
      ...statuses,
    );
  }

  /** The ids of every record of a server, without reading the records. */
  ids(serverId: string): Set<string> {
    return new Set((this.store.db.prepare('SELECT id FROM deployments WHERE server_id = ?').all(serverId) as { id: string }[]).map((r) => r.id));
  }

  servers(): string[] {
    return (this.store.db.prepare('SELECT DISTINCT server_id FROM deployments').all() as { server_id: string }[]).map((r) => r.server_id);
  }

  /** Deletes a record and its log file (retention); the caller decides what may go. */
  remove(serverId: string, id: string): void {
    const record = this.find(serverId, id);
    this.store.db.prepare('DELETE FROM deployments WHERE server_id = ? AND id = ?').run(serverId, id);
    if (record) rmSync(record.logPath, { force: true });
  }

  private rows(sql: string, ...args: (string | number)[]): Deployment[] {
    const store = this.store;
    const out: Deployment[] = [];
    for (const row of store.db.prepare(sql).all(...args) as Row[]) {
      const record = this.parse(store, row);
      if (record) out.push(record);
    }
    return out;
  }

  private parse(store: HomeStore, row: Row): Deployment | undefined {
    let value: unknown;
    try {
      value = JSON.parse(row.doc);
    } catch {
      value = undefined;
    }
    const parsed = Deployment.safeParse(value);
    if (parsed.success) return withHonestStatus(parsed.data);
    store.transaction(() => {
      const kept = quarantineRow(store.db, `deployments/${row.server_id}/${row.id}`, row.doc);
      store.db.prepare('DELETE FROM deployments WHERE server_id = ? AND id = ? AND doc = ?').run(row.server_id, row.id, row.doc);
      store.warn({
        code: 'RECORD_QUARANTINED',
        message: `The deployment record ${row.id} of server ${row.server_id} could not be read and was set aside (kept as quarantine row ${kept} in ${store.home}/berth.db); the server's other records are unaffected.`,
        path: `${store.home}/berth.db`,
      });
    });
    return undefined;
  }
}
