import { resolve } from 'node:path';
import type { App, AppInput, AppPatch, AppSource, EnvVarInput, EnvVarView, PullPolicy } from '../../shared/api/apps';
import { baseImageKeys, type BaseImageKey } from '../../shared/api/build-mode-names';
import type { BaseImages, BuildMode } from '../../shared/api/build-modes';
import type { RollbackSettingsPatch } from '../../shared/api/rollback';
import { BerthError } from '../../shared/errors';
import type { KeyValue, PortMappingArg, VolumeArg } from './args';

type HealthInput = NonNullable<NonNullable<AppInput['runtime']>['healthCheck']>;

/** What `berth app add` collects, every value already parsed by its option. */
export interface AppAddOptions {
  folder?: string;
  git?: string;
  ref?: string;
  fetchOn?: 'server' | 'this-computer';
  image?: string;
  /** An archive given with each deploy; a string names the folder inside it to build from. */
  archiveDrop?: string | true;
  /** Pull policy of an image source. */
  pull?: PullPolicy;
  dockerfile?: string;
  context?: string;
  buildArg?: KeyValue[];
  target?: string;
  clean?: boolean;
  buildMode?: BuildMode;
  baseImage?: KeyValue[];
  port?: number;
  /** False with --no-proxy. */
  proxy?: boolean;
  publish?: PortMappingArg[];
  volume?: VolumeArg[];
  healthPath?: string;
  healthTcp?: boolean;
  healthCmd?: string[];
  /** False with --no-health. */
  health?: boolean;
  healthInterval?: number;
  healthTimeout?: number;
  healthRetries?: number;
  healthStartPeriod?: number;
  env?: KeyValue[];
  secret?: KeyValue[];
  domain?: string[];
  replicas?: number;
  cpus?: number;
  memory?: number;
  restart?: string;
  command?: string[];
  label?: KeyValue[];
  keepLast?: number;
  keepDays?: number;
  previewLimit?: number;
}

/**
 * Maps the options of `berth app add` to the contract's AppInput. Only what was given is set, so the engine's
 * defaults (port 8080, an HTTP health check on /, one replica) apply to the rest. `fileVars` come from --env-file,
 * already parsed; --env and --secret win over them.
 */
export function appInputFrom(name: string, serverId: string, options: AppAddOptions, fileVars: KeyValue[] = [], cwd = process.cwd()): AppInput {
  const runtime: NonNullable<AppInput['runtime']> = {};
  if (options.proxy === false) runtime.httpPort = null;
  else if (options.port !== undefined) runtime.httpPort = options.port;
  if (options.publish?.length) runtime.published = options.publish;
  if (options.volume?.length) runtime.volumes = options.volume;
  const health = healthFrom(options);
  if (health) runtime.healthCheck = health;
  const env = mergeEnv(fileVars, options.env ?? [], options.secret ?? []);
  if (env.length > 0) runtime.env = env;
  if (options.domain?.length) runtime.domains = options.domain;
  if (options.replicas !== undefined) runtime.replicas = options.replicas;
  if (options.cpus !== undefined || options.memory !== undefined) {
    runtime.limits = { ...(options.cpus !== undefined ? { cpus: options.cpus } : {}), ...(options.memory !== undefined ? { memoryMb: options.memory } : {}) };
  }
  if (options.restart !== undefined) runtime.restart = options.restart as NonNullable<typeof runtime.restart>;
  if (options.command) runtime.command = options.command;
  if (options.label?.length) runtime.labels = Object.fromEntries(options.label.map((l) => [l.key, l.value]));

  const build: NonNullable<AppInput['build']> = {};
  if (options.dockerfile !== undefined) build.dockerfile = options.dockerfile;
  if (options.context !== undefined) build.context = options.context;
  if (options.buildArg?.length) build.args = Object.fromEntries(options.buildArg.map((a) => [a.key, a.value]));
  if (options.target !== undefined) build.target = options.target;
  if (options.clean) build.clean = true;
  if (options.buildMode !== undefined) build.mode = options.buildMode;
  if (options.baseImage?.length) build.baseImages = baseImagesFrom(options.baseImage);

  const retention = {
    ...(options.keepLast !== undefined ? { keepLast: options.keepLast } : {}),
    ...(options.keepDays !== undefined ? { keepDays: options.keepDays } : {}),
  };
  return {
    serverId,
    name,
    source: sourceFrom(options, cwd),
    build,
    runtime,
    retention,
    ...(options.previewLimit !== undefined ? { previews: { limit: options.previewLimit } } : {}),
  };
}

function baseImagesFrom(given: KeyValue[]): BaseImages {
  const images: BaseImages = {};
  for (const { key, value } of given) {
    if (!(baseImageKeys as readonly string[]).includes(key)) {
      throw new BerthError('INVALID_INPUT', `--base-image ${key}=… names no stack: use one of ${baseImageKeys.join(', ')}.`);
    }
    images[key as BaseImageKey] = value;
  }
  return images;
}

/**
 * Exactly one of --folder, --git, --image, --archive-drop; none means the current folder, as Kamal deploys the
 * folder it runs in.
 */
export function sourceFrom(options: Pick<AppAddOptions, 'folder' | 'git' | 'ref' | 'fetchOn' | 'image' | 'pull' | 'archiveDrop'>, cwd: string): AppSource {
  const given = [options.folder, options.git, options.image, options.archiveDrop].filter((s) => s !== undefined).length;
  if (given > 1) throw new BerthError('INVALID_INPUT', 'Choose one source: --folder PATH, --git URL, --image REF or --archive-drop [ROOT].');
  for (const [flag, value] of [['--ref', options.ref], ['--fetch-on', options.fetchOn]] as const) {
    if (value !== undefined && options.git === undefined) throw new BerthError('INVALID_INPUT', `${flag} applies to a --git source only.`);
  }
  if (options.pull !== undefined && options.image === undefined) throw new BerthError('INVALID_INPUT', '--pull applies to an --image source only.');
  if (options.git !== undefined) return { kind: 'git', url: options.git, ref: options.ref ?? 'main', ...(options.fetchOn ? { fetchOn: options.fetchOn } : {}) };
  if (options.image !== undefined) return { kind: 'image', image: options.image, pull: options.pull ?? 'missing' };
  if (options.archiveDrop !== undefined) return { kind: 'archive', root: options.archiveDrop === true ? '' : options.archiveDrop };
  return { kind: 'folder', path: resolve(cwd, options.folder ?? '.') };
}

function healthFrom(options: AppAddOptions): HealthInput | undefined {
  const kinds = [options.healthPath !== undefined, Boolean(options.healthTcp), options.healthCmd !== undefined, options.health === false].filter(Boolean).length;
  if (kinds > 1) throw new BerthError('INVALID_INPUT', 'Choose one health check: --health-path PATH, --health-tcp, --health-cmd CMD or --no-health.');
  const timing = {
    ...(options.healthInterval !== undefined ? { intervalMs: options.healthInterval } : {}),
    ...(options.healthTimeout !== undefined ? { timeoutMs: options.healthTimeout } : {}),
    ...(options.healthRetries !== undefined ? { retries: options.healthRetries } : {}),
    ...(options.healthStartPeriod !== undefined ? { startPeriodMs: options.healthStartPeriod } : {}),
  };
  // The schema fills in the defaults of the timing fields not given.
  if (options.health === false) return { kind: 'none', ...timing };
  if (options.healthTcp) return { kind: 'tcp', ...timing };
  if (options.healthCmd !== undefined) return { kind: 'command', command: options.healthCmd, ...timing };
  if (options.healthPath !== undefined) return { kind: 'http', path: options.healthPath, ...timing };
  return Object.keys(timing).length > 0 ? { kind: 'http', ...timing } : undefined;
}

/** The rollback settings `app add` and `app set` take: the watch window after going live, and what is kept. */
export interface RollbackOptions {
  watch?: number;
  watchFailures?: number;
  autoRollback?: boolean;
  keepRollbackPoints?: number;
  registry?: string;
  registryUser?: string;
  /** Read from the environment variable named by --registry-password-env, never from the command line. */
  registryPassword?: string;
}

/** The rollback settings patch for the options given, or undefined when none was. */
export function rollbackPatchFrom(options: RollbackOptions): RollbackSettingsPatch | undefined {
  const patch: RollbackSettingsPatch = {
    ...(options.watch !== undefined ? { watchMs: options.watch } : {}),
    ...(options.watchFailures !== undefined ? { watchFailures: options.watchFailures } : {}),
    ...(options.autoRollback !== undefined ? { autoRollback: options.autoRollback } : {}),
    ...(options.keepRollbackPoints !== undefined ? { keepLast: options.keepRollbackPoints } : {}),
  };
  if (options.registry !== undefined) {
    patch.registry =
      options.registry === '' || options.registry === 'none'
        ? null
        : {
            url: options.registry,
            ...(options.registryUser !== undefined ? { username: options.registryUser } : {}),
            ...(options.registryPassword !== undefined ? { password: options.registryPassword } : {}),
          };
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The options `berth app set` takes: those of `app add` except env, which `berth app env` edits. */
export type AppSetOptions = Omit<AppAddOptions, 'env' | 'secret'> & RollbackOptions;

/**
 * Maps `berth app set` options to a patch that changes only what was given. Build args are merged into the app's;
 * health timings alone tune the current check; `--ref` and `--fetch-on` alone change the app's git source.
 */
export function appPatchFrom(current: App, options: AppSetOptions, cwd = process.cwd()): AppPatch {
  // --ref and --fetch-on alone change the app's git source, they do not name a new one
  const { ref, fetchOn, pull, ...rest } = options;
  const newSource = options.folder !== undefined || options.git !== undefined || options.image !== undefined || options.archiveDrop !== undefined;
  const policy = pull ?? (options.image !== undefined ? pullOf(current.source) : undefined);
  const kept = { ...rest, ...(options.git !== undefined ? { ref, fetchOn } : {}), ...(newSource && policy !== undefined ? { pull: policy } : {}) };
  const input = appInputFrom(current.name, current.serverId, kept, [], cwd);
  const patch: AppPatch = {};
  if (newSource) patch.source = input.source;
  else if (pull !== undefined) {
    if (current.source.kind !== 'image') throw new BerthError('INVALID_INPUT', `--pull applies to an image source; ${current.name} is built from a ${current.source.kind}.`);
    patch.source = { ...current.source, pull };
  } else if (ref !== undefined || fetchOn !== undefined) {
    const flag = ref !== undefined ? '--ref' : '--fetch-on';
    if (current.source.kind !== 'git') throw new BerthError('INVALID_INPUT', `${flag} applies to a git source; ${current.name} is built from a ${current.source.kind}.`);
    patch.source = { ...current.source, ...(ref !== undefined ? { ref } : {}), ...(fetchOn !== undefined ? { fetchOn } : {}) };
  }
  const build = { ...input.build };
  if (build.args) build.args = { ...current.build.args, ...build.args };
  if (build.baseImages) build.baseImages = { ...current.build.baseImages, ...build.baseImages };
  if (Object.keys(build).length > 0) patch.build = build;
  const runtime = { ...input.runtime };
  const kindGiven = options.healthPath !== undefined || options.healthTcp || options.healthCmd !== undefined || options.health === false;
  if (runtime.healthCheck && !kindGiven) runtime.healthCheck = { ...current.runtime.healthCheck, ...runtime.healthCheck, kind: current.runtime.healthCheck.kind } as typeof runtime.healthCheck;
  if (Object.keys(runtime).length > 0) patch.runtime = runtime;
  if (options.keepLast !== undefined || options.keepDays !== undefined) patch.retention = { ...current.retention, ...input.retention };
  if (options.previewLimit !== undefined) patch.previews = { limit: options.previewLimit };
  return patch;
}

/** A new image keeps the app's pull policy unless --pull names another. */
function pullOf(source: AppSource): PullPolicy | undefined {
  return source.kind === 'image' ? source.pull : undefined;
}

/** In first-seen order; a key given again takes the later value (and stays secret if any mention made it one). */
export function mergeEnv(fileVars: KeyValue[], plain: KeyValue[], secret: KeyValue[]): EnvVarInput[] {
  const out = new Map<string, EnvVarInput>();
  const put = (v: KeyValue, isSecret: boolean): void => {
    out.set(v.key, { key: v.key, value: v.value, secret: isSecret || (out.get(v.key)?.secret ?? false) });
  };
  for (const v of fileVars) put(v, false);
  for (const v of plain) put(v, false);
  for (const v of secret) put(v, true);
  return [...out.values()];
}

export interface EnvEdits {
  set?: KeyValue[];
  secret?: KeyValue[];
  unset?: string[];
  /** From --env-file, already parsed. */
  fileVars?: KeyValue[];
}

/**
 * The app's env after the edits, as the input apps.update takes: secrets already stored are sent without a value,
 * which keeps what the engine sealed. A key that was secret stays secret when it is set again.
 */
export function editEnv(current: readonly EnvVarView[], edits: EnvEdits): EnvVarInput[] {
  const out = new Map<string, EnvVarInput>(current.map((v) => [v.key, v.secret ? { key: v.key, secret: true } : { key: v.key, value: v.value ?? '', secret: false }]));
  for (const key of edits.unset ?? []) {
    if (!out.delete(key)) throw new BerthError('INVALID_INPUT', `There is no ${key} in the app's env to unset.`);
  }
  const put = (v: KeyValue, isSecret: boolean): void => {
    out.set(v.key, { key: v.key, value: v.value, secret: isSecret || (out.get(v.key)?.secret ?? false) });
  };
  for (const v of edits.fileVars ?? []) put(v, false);
  for (const v of edits.set ?? []) put(v, false);
  for (const v of edits.secret ?? []) put(v, true);
  return [...out.values()];
}

export function hasEnvEdits(edits: EnvEdits): boolean {
  return Boolean(edits.set?.length || edits.secret?.length || edits.unset?.length || edits.fileVars?.length);
}
