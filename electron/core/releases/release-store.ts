import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import type { BerthPaths } from '../home';
import { JsonFile } from '../store/json-file';
import { withHonestStatus } from './legacy-status';

interface Cached {
  mtimeMs: number;
  record: Deployment;
}

/**
 * The per-server deployment registry: one JSON file per deployment under `servers/<id>/deployments/`, each written
 * atomically with a backup kept. Files are re-read only when they changed on disk, so the desktop app and the CLI
 * sharing one home see each other's deployments.
 */
export class ReleaseStore {
  private readonly cache = new Map<string, Map<string, Cached>>();

  constructor(private readonly paths: BerthPaths) {}

  private dir(serverId: string): string {
    return join(this.paths.serverDir(serverId), 'deployments');
  }

  private file(serverId: string, id: string): JsonFile<Deployment | null> {
    return new JsonFile<Deployment | null>(join(this.dir(serverId), `${id}.json`), () => null);
  }

  save(record: Deployment): Deployment {
    const parsed = Deployment.parse(record);
    const file = this.file(parsed.serverId, parsed.id);
    file.write(parsed);
    this.serverCache(parsed.serverId).set(parsed.id, { mtimeMs: statSync(file.path).mtimeMs, record: parsed });
    return parsed;
  }

  get(serverId: string, id: string): Deployment {
    const found = this.find(serverId, id);
    if (!found) throw new BerthError('DEPLOYMENT_NOT_FOUND', `There is no deployment ${id} on server ${serverId}.`);
    return found;
  }

  find(serverId: string, id: string): Deployment | undefined {
    return this.all(serverId).find((d) => d.id === id);
  }

  /** Newest first (by seq within an app, by queue time across apps). */
  list(serverId: string, filter: { app?: string | undefined; limit?: number; before?: number | undefined } = {}): Deployment[] {
    let records = this.all(serverId);
    if (filter.app !== undefined) records = records.filter((d) => d.app === filter.app);
    if (filter.before !== undefined) records = records.filter((d) => d.seq < (filter.before ?? 0));
    records.sort((a, b) => (a.app === b.app ? b.seq - a.seq : (b.timestamps.queued ?? '').localeCompare(a.timestamps.queued ?? '')));
    return filter.limit === undefined ? records : records.slice(0, filter.limit);
  }

  nextSeq(serverId: string, app: string): number {
    return this.all(serverId).reduce((max, d) => (d.app === app ? Math.max(max, d.seq) : max), 0) + 1;
  }

  live(serverId: string, app: string): Deployment | undefined {
    return this.all(serverId).find((d) => d.app === app && d.status === 'live');
  }

  servers(): string[] {
    const root = join(this.paths.home, 'servers');
    if (!existsSync(root)) return [];
    return readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(this.dir(e.name)))
      .map((e) => e.name);
  }

  /** Deletes a record and its log file (retention); the caller decides what may go. */
  remove(serverId: string, id: string): void {
    const record = this.find(serverId, id);
    const path = join(this.dir(serverId), `${id}.json`);
    // rename first so a crash never leaves half a record behind
    if (existsSync(path)) {
      renameSync(path, `${path}.deleted`);
      rmSync(`${path}.deleted`, { force: true });
    }
    rmSync(`${path}.bak`, { force: true });
    if (record) rmSync(record.logPath, { force: true });
    this.serverCache(serverId).delete(id);
  }

  private serverCache(serverId: string): Map<string, Cached> {
    let cache = this.cache.get(serverId);
    if (!cache) {
      cache = new Map();
      this.cache.set(serverId, cache);
    }
    return cache;
  }

  private all(serverId: string): Deployment[] {
    const dir = this.dir(serverId);
    const cache = this.serverCache(serverId);
    if (!existsSync(dir)) return [];
    mkdirSync(dir, { recursive: true });
    const seen = new Set<string>();
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -5);
      seen.add(id);
      const path = join(dir, name);
      const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined) continue;
      const cached = cache.get(id);
      if (cached && cached.mtimeMs === mtimeMs) continue;
      const value = this.file(serverId, id).read();
      const parsed = Deployment.safeParse(value);
      if (parsed.success) cache.set(id, { mtimeMs, record: withHonestStatus(parsed.data) });
    }
    for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
    return [...cache.values()].map((c) => c.record);
  }
}
