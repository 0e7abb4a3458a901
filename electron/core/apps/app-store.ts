import { isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import type { App, AppInput, AppPatch, AppSource, EnvVarInput } from '../../../shared/api/apps';
import type { RuntimeSnapshot, SnapshotEnvVar } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import type { BerthPaths } from '../home';
import { JsonFile } from '../store/json-file';
import type { SecretStore } from '../store/secret-store';
import { parseEnvFile } from './env-file';
import { sealSourceCredentials, sourceView } from './git-credentials';

/** An app as stored: like the contract's App, but secret env values are kept sealed. */
export type StoredApp = Omit<App, 'runtime'> & { runtime: RuntimeSnapshot };

type ParsedAppInput = z.output<typeof AppInput>;
type ParsedPatch = z.output<typeof AppPatch>;
type ParsedEnv = z.output<typeof EnvVarInput>;

interface AppsFile {
  apps: StoredApp[];
}

/** App definitions per server, in `servers/<id>/apps.json`. */
export class AppStore {
  constructor(
    private readonly paths: BerthPaths,
    private readonly secrets: SecretStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(serverId: string): JsonFile<AppsFile> {
    return new JsonFile<AppsFile>(join(this.paths.serverDir(serverId), 'apps.json'), () => ({ apps: [] }));
  }

  list(serverId: string): StoredApp[] {
    return this.file(serverId).read().apps;
  }

  get(serverId: string, name: string): StoredApp {
    const app = this.list(serverId).find((a) => a.name === name);
    if (!app) throw new BerthError('APP_NOT_FOUND', `There is no app "${name}" on server ${serverId}.`);
    return app;
  }

  async create(input: ParsedAppInput): Promise<StoredApp> {
    if (this.list(input.serverId).some((a) => a.name === input.name)) {
      throw new BerthError('APP_EXISTS', `Server ${input.serverId} already has an app called "${input.name}".`);
    }
    checkSource(input.source);
    const at = this.now().toISOString();
    const app: StoredApp = {
      serverId: input.serverId,
      name: input.name,
      source: await sealSourceCredentials(input.source, undefined, this.secrets),
      build: input.build,
      runtime: { ...input.runtime, env: await sealEnv(input.runtime.env, [], this.secrets) },
      retention: input.retention,
      createdAt: at,
      updatedAt: at,
    };
    this.file(input.serverId).update((f) => ({ apps: [...f.apps, app] }));
    return app;
  }

  async update(serverId: string, name: string, patch: ParsedPatch): Promise<StoredApp> {
    const current = this.get(serverId, name);
    if (patch.source) checkSource(patch.source);
    const { env, ...runtime } = patch.runtime ?? {};
    const next: StoredApp = {
      ...current,
      source: patch.source ? await sealSourceCredentials(patch.source, current.source, this.secrets) : current.source,
      build: { ...current.build, ...stripUndefined(patch.build ?? {}) },
      runtime: {
        ...current.runtime,
        ...stripUndefined(runtime),
        env: env ? await sealEnv(env, current.runtime.env, this.secrets) : current.runtime.env,
      },
      retention: patch.retention ?? current.retention,
      updatedAt: this.now().toISOString(),
    };
    this.replace(next);
    return next;
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
    const current = this.get(serverId, name);
    const merged: ParsedEnv[] = current.runtime.env.map((v) => ({ key: v.key, secret: v.secret, ...(v.secret ? {} : { value: v.value ?? '' }) }));
    for (const v of parsed.vars) {
      const index = merged.findIndex((m) => m.key === v.key);
      const entry = { key: v.key, value: v.value, secret: secret || (merged[index]?.secret ?? false) };
      if (index >= 0) merged[index] = entry;
      else merged.push(entry);
    }
    return this.update(serverId, name, { runtime: { env: merged } } as ParsedPatch);
  }

  remove(serverId: string, name: string): boolean {
    let removed = false;
    this.file(serverId).update((f) => {
      removed = f.apps.some((a) => a.name === name);
      return { apps: f.apps.filter((a) => a.name !== name) };
    });
    return removed;
  }

  private replace(app: StoredApp): void {
    this.file(app.serverId).update((f) => ({ apps: f.apps.map((a) => (a.name === app.name ? app : a)) }));
  }
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
