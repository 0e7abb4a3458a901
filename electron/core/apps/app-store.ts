import { isAbsolute } from 'node:path';
import type { z } from 'zod';
import type { App, AppInput, AppPatch, AppSource, EnvVarInput } from '../../../shared/api/apps';
import type { RuntimeSnapshot, SnapshotEnvVar } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import type { BerthPaths } from '../home';
import { HomeStore } from '../store/home-store';
import { putApp, quarantineRow } from '../store/rows';
import type { SecretStore } from '../store/secret-store';
import { parseEnvFile } from './env-file';
import { sealSourceCredentials, sourceView } from './git-credentials';

/** An app as stored: like the contract's App, but secret env values are kept sealed. */
export type StoredApp = Omit<App, 'runtime'> & { runtime: RuntimeSnapshot };

type ParsedAppInput = z.output<typeof AppInput>;
type ParsedPatch = z.output<typeof AppPatch>;
type ParsedEnv = z.output<typeof EnvVarInput>;

interface Row {
  name: string;
  rev: number;
  doc: string;
}

/** Tries before an update gives up on an app another process keeps changing under it. */
const UPDATE_TRIES = 20;

/**
 * App definitions per server, as rows of the home's database. An update is written only over the version it was
 * computed from (a revision number per app): when another process changed the app meanwhile, it is computed again
 * from the fresh version instead of overwriting that change.
 */
export class AppStore {
  constructor(
    private readonly paths: BerthPaths,
    private readonly secrets: SecretStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get store(): HomeStore {
    return HomeStore.open(this.paths.home);
  }

  list(serverId: string): StoredApp[] {
    const rows = this.store.db.prepare('SELECT name, rev, doc FROM apps WHERE server_id = ? ORDER BY rowid').all(serverId) as Row[];
    return rows.map((row) => this.parse(serverId, row)).filter((app): app is StoredApp => app !== undefined);
  }

  get(serverId: string, name: string): StoredApp {
    return this.current(serverId, name).app;
  }

  async create(input: ParsedAppInput): Promise<StoredApp> {
    this.assertFree(input.serverId, input.name);
    checkSource(input.source);
    const at = this.now().toISOString();
    const app: StoredApp = {
      serverId: input.serverId,
      name: input.name,
      source: await sealSourceCredentials(input.source, undefined, this.secrets),
      build: input.build,
      runtime: { ...input.runtime, env: await sealEnv(input.runtime.env, [], this.secrets) },
      retention: input.retention,
      ...(input.previews ? { previews: input.previews } : {}),
      createdAt: at,
      updatedAt: at,
    };
    const store = this.store;
    store.transaction(() => {
      this.assertFree(input.serverId, input.name);
      putApp(store.db, app.serverId, app.name, app);
    });
    return app;
  }

  async update(serverId: string, name: string, patch: ParsedPatch): Promise<StoredApp> {
    if (patch.source) checkSource(patch.source);
    for (let attempt = 1; ; attempt += 1) {
      const { app: current, rev } = this.current(serverId, name);
      const next = await this.patched(current, patch);
      if (this.writeOver(next, rev)) return next;
      if (attempt === UPDATE_TRIES) {
        throw new BerthError('LOCKED', `The app "${name}" kept changing in another Berth process while this change was being saved. Try again.`);
      }
    }
  }

  /** Merges `.env` text into the app's env: new keys are added, existing ones take the file's value. */
  async importEnv(serverId: string, name: string, text: string, secret: boolean): Promise<StoredApp> {
    const parsed = parseEnvFile(text);
    if (parsed.errors.length > 0) {
      const first = parsed.errors[0];
      throw new BerthError(
        'ENV_PARSE_ERROR',
        `The env file has ${parsed.errors.length} malformed line${parsed.errors.length > 1 ? 's' : ''}; line ${first?.line}: ${first?.message}.`,
        { errors: parsed.errors },
      );
    }
    for (let attempt = 1; ; attempt += 1) {
      const { app: current, rev } = this.current(serverId, name);
      const merged: ParsedEnv[] = current.runtime.env.map((v) => ({ key: v.key, secret: v.secret, ...(v.secret ? {} : { value: v.value ?? '' }) }));
      for (const v of parsed.vars) {
        const index = merged.findIndex((m) => m.key === v.key);
        const entry = { key: v.key, value: v.value, secret: secret || (merged[index]?.secret ?? false) };
        if (index >= 0) merged[index] = entry;
        else merged.push(entry);
      }
      const next = await this.patched(current, { runtime: { env: merged } } as ParsedPatch);
      if (this.writeOver(next, rev)) return next;
      if (attempt === UPDATE_TRIES) {
        throw new BerthError('LOCKED', `The app "${name}" kept changing in another Berth process while its env was being imported. Try again.`);
      }
    }
  }

  /**
   * Writes a definition the engine derived (a preview's, from its app) over the stored one; refused when the name
   * belongs to an app that is not that same preview.
   */
  put(app: StoredApp): void {
    const store = this.store;
    store.transaction(() => {
      const row = store.db.prepare('SELECT doc FROM apps WHERE server_id = ? AND name = ?').get(app.serverId, app.name) as { doc: string } | undefined;
      const held = row ? parseStoredApp(row.doc) : undefined;
      if (row && (held?.previewOf?.app !== app.previewOf?.app || held?.previewOf?.ref !== app.previewOf?.ref)) {
        throw new BerthError('APP_EXISTS', `Server ${app.serverId} already has an app called "${app.name}".`);
      }
      putApp(store.db, app.serverId, app.name, app);
    });
  }

  remove(serverId: string, name: string): boolean {
    return this.store.db.prepare('DELETE FROM apps WHERE server_id = ? AND name = ?').run(serverId, name).changes > 0;
  }

  private async patched(current: StoredApp, patch: ParsedPatch): Promise<StoredApp> {
    const { env, ...runtime } = patch.runtime ?? {};
    return {
      ...current,
      source: patch.source ? await sealSourceCredentials(patch.source, current.source, this.secrets) : current.source,
      build: { ...current.build, ...stripUndefined(patch.build ?? {}) },
      runtime: {
        ...current.runtime,
        ...stripUndefined(runtime),
        env: env ? await sealEnv(env, current.runtime.env, this.secrets) : current.runtime.env,
      },
      retention: patch.retention ?? current.retention,
      ...(patch.previews ? { previews: patch.previews } : {}),
      updatedAt: this.now().toISOString(),
    };
  }

  /** Writes the app only if it is still at revision `rev`; false when another process changed it first. */
  private writeOver(app: StoredApp, rev: number): boolean {
    const result = this.store.db
      .prepare('UPDATE apps SET doc = ?, rev = rev + 1 WHERE server_id = ? AND name = ? AND rev = ?')
      .run(JSON.stringify(app), app.serverId, app.name, rev);
    if (result.changes > 0) return true;
    this.current(app.serverId, app.name);
    return false;
  }

  private current(serverId: string, name: string): { app: StoredApp; rev: number } {
    const row = this.store.db.prepare('SELECT name, rev, doc FROM apps WHERE server_id = ? AND name = ?').get(serverId, name) as Row | undefined;
    const app = row ? this.parse(serverId, row) : undefined;
    if (!row || !app) throw new BerthError('APP_NOT_FOUND', `There is no app "${name}" on server ${serverId}.`);
    return { app, rev: row.rev };
  }

  private assertFree(serverId: string, name: string): void {
    if (this.store.db.prepare('SELECT 1 FROM apps WHERE server_id = ? AND name = ?').get(serverId, name)) {
      throw new BerthError('APP_EXISTS', `Server ${serverId} already has an app called "${name}".`);
    }
  }

  private parse(serverId: string, row: Row): StoredApp | undefined {
    const app = parseStoredApp(row.doc);
    if (app) return app;
    const store = this.store;
    store.transaction(() => {
      const kept = quarantineRow(store.db, `apps/${serverId}/${row.name}`, row.doc);
      store.db.prepare('DELETE FROM apps WHERE server_id = ? AND name = ? AND rev = ?').run(serverId, row.name, row.rev);
      store.warn({
        code: 'RECORD_QUARANTINED',
        message: `The app "${row.name}" of server ${serverId} could not be read and was set aside (kept as quarantine row ${kept} in ${store.home}/berth.db); add it again. The server's other apps are unaffected.`,
        path: `${store.home}/berth.db`,
      });
    });
    return undefined;
  }
}

function parseStoredApp(doc: string): StoredApp | undefined {
  let value: unknown;
  try {
    value = JSON.parse(doc);
  } catch {
    return undefined;
  }
  const app = value as Partial<StoredApp> | null;
  const usable = typeof app?.name === 'string' && typeof app.serverId === 'string' && typeof app.source === 'object' && Array.isArray(app.runtime?.env);
  return usable ? (app as StoredApp) : undefined;
}

/** Secrets are sealed; a secret sent without a value keeps the sealed value stored before. */
export async function sealEnv(input: readonly ParsedEnv[], previous: readonly SnapshotEnvVar[], secrets: SecretStore): Promise<SnapshotEnvVar[]> {
  const keys = new Set<string>();
  const out: SnapshotEnvVar[] = [];
  for (const v of input) {
    if (keys.has(v.key)) throw new BerthError('INVALID_INPUT', `The env variable ${v.key} is listed twice.`);
    keys.add(v.key);
    if (!v.secret) {
      out.push({ key: v.key, secret: false, value: v.value ?? '' });
      continue;
    }
    if (v.value !== undefined) {
      out.push({ key: v.key, secret: true, value: null, sealed: await secrets.seal(v.value) });
      continue;
    }
    const kept = previous.find((p) => p.key === v.key);
    if (kept?.secret && kept.sealed) out.push({ key: v.key, secret: true, value: null, sealed: kept.sealed });
    else if (kept && !kept.secret) out.push({ key: v.key, secret: true, value: null, sealed: await secrets.seal(kept.value ?? '') });
    else throw new BerthError('INVALID_INPUT', `The secret ${v.key} needs a value.`);
  }
  return out;
}

/** What leaves the engine: secret values replaced by null. */
export function appView(app: StoredApp): App {
  return { ...app, source: sourceView(app.source), runtime: { ...app.runtime, env: app.runtime.env.map(({ key, secret, value }) => ({ key, secret, value: secret ? null : value })) } };
}

/** Opens an env snapshot into `KEY=value` pairs for a container, and lists the secret values for log masking. */
export async function openEnv(env: readonly SnapshotEnvVar[], secrets: SecretStore): Promise<{ pairs: string[]; secretValues: string[] }> {
  const pairs: string[] = [];
  const secretValues: string[] = [];
  for (const v of env) {
    if (v.secret) {
      const value = v.sealed ? await secrets.open(v.sealed) : '';
      secretValues.push(value);
      pairs.push(`${v.key}=${value}`);
    } else {
      pairs.push(`${v.key}=${v.value ?? ''}`);
    }
  }
  return { pairs, secretValues };
}

function checkSource(source: AppSource): void {
  if (source.kind === 'folder' && !isAbsolute(source.path)) {
    throw new BerthError('SOURCE_INVALID', `The source folder must be an absolute path on this computer, not "${source.path}".`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
