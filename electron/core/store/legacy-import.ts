import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Deployment } from '../../../shared/api/deployments';
import type { StoreWarning } from '../../../shared/api/store';
import { withHonestStatus } from '../releases/legacy-status';
import type { HomeStore } from './home-store';
import { quarantineFile } from './quarantine';
import { putApp, putDeployment } from './rows';

type NewWarning = Omit<StoreWarning, 'id' | 'at'>;

const IMPORTED = 'imported-json-home';

/** Where the JSON files of a home from before the database are kept once imported. */
export function jsonBackupDir(home: string): string {
  return join(home, 'json-backup');
}

/**
 * Imports a home written by an earlier Berth (one JSON file per list, one per deployment) into the database, once:
 * the first process to get the write lock imports, the others find it done. The JSON files are then moved to
 * `json-backup/` and kept. An unreadable file falls back to its `.bak`, or is quarantined; either is announced.
 */
export function importLegacyHome(store: HomeStore): NewWarning[] {
  if (store.meta(IMPORTED)) return [];
  const warnings: NewWarning[] = [];
  const imported: string[] = [];
  store.transaction(() => {
    if (store.meta(IMPORTED)) return;
    const { home, db } = store;
    const read = (path: string): unknown => readLegacy(home, path, warnings, imported);
    for (const [file, key] of [['servers.json', 'servers'], ['server-secrets.json', 'server-secrets'], ['trusted-hosts.json', 'trusted-hosts']] as const) {
      const doc = read(join(home, file));
      if (doc !== undefined) store.document<unknown>(key, () => null).write(doc);
    }
    for (const serverId of serverDirs(home)) {
      const dir = join(home, 'servers', serverId);
      const apps = read(join(dir, 'apps.json')) as { apps?: { name?: unknown }[] } | undefined;
      for (const app of apps?.apps ?? []) if (typeof app.name === 'string') putApp(db, serverId, app.name, app);
      const rollback = read(join(dir, 'rollback.json'));
      if (rollback !== undefined) store.document<unknown>(`rollback/${serverId}`, () => null).write(rollback);
      const deployments = join(dir, 'deployments');
      if (!existsSync(deployments)) continue;
      for (const name of readdirSync(deployments).filter((n) => n.endsWith('.json'))) {
        const path = join(deployments, name);
        const value = read(path);
        if (value === undefined) continue;
        const parsed = Deployment.safeParse(value);
        if (parsed.success) putDeployment(db, withHonestStatus(parsed.data));
        else warnings.push(quarantined(home, path, `it is not a deployment record Berth can read (${parsed.error.issues[0]?.message})`));
      }
    }
    store.setMeta(IMPORTED, new Date().toISOString());
  });
  for (const path of imported) keepAsBackup(store.home, path);
  return warnings;
}

function serverDirs(home: string): string[] {
  const root = join(home, 'servers');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** The parsed file, its backup's content (announced), or undefined when neither exists or can be read (quarantined). */
function readLegacy(home: string, path: string, warnings: NewWarning[], imported: string[]): unknown {
  const main = parseFile(path);
  if (main.ok) {
    imported.push(path);
    return main.value;
  }
  const backup = parseFile(`${path}.bak`);
  if (main.missing && !backup.ok && backup.missing) return undefined;
  if (backup.ok) {
    const kept = main.missing ? null : quarantineFile(home, path);
    imported.push(`${path}.bak`);
    warnings.push({
      code: 'BACKUP_RESTORED',
      message: `${path} could not be read${kept ? ` and was moved to ${kept}` : ''}; its backup ${path}.bak was used instead, so its last change may be missing.`,
      path: kept,
    });
    return backup.value;
  }
  warnings.push(quarantined(home, main.missing ? `${path}.bak` : path, 'it is not valid JSON and has no usable backup'));
  return undefined;
}

function quarantined(home: string, path: string, reason: string): NewWarning {
  const kept = quarantineFile(home, path);
  return { code: 'RECORD_QUARANTINED', message: `${path} could not be imported: ${reason}. It was moved to ${kept}; the other records were imported.`, path: kept };
}

function parseFile(path: string): { ok: true; value: unknown } | { ok: false; missing: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, missing: true };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, missing: false };
  }
}

function keepAsBackup(home: string, path: string): void {
  for (const file of [path, `${path}.bak`]) {
    if (!existsSync(file)) continue;
    const target = join(jsonBackupDir(home), relative(home, file));
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    renameSync(file, target);
  }
}
