import { isAbsolute, resolve } from 'node:path';
import type { AppInput, AppSource, EnvVarInput } from '../../../shared/api/apps';
import type { BerthFile } from '../../../shared/api/berth-file';
import type { ServerInput } from '../../../shared/api/servers';
import { DEFAULT_PROXY_IMAGE } from '../../../shared/defaults';
import { BerthError } from '../../../shared/errors';

/** What the definitions are made from besides the file: where it lies, the environment, and what this home keeps. */
export interface DefinitionContext {
  /** The folder holding the berth file: relative paths (a folder source, a key file) are taken from there. */
  dir: string;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** Secret env keys this home already holds a value for, on the app of the same name. */
  storedSecrets: ReadonlySet<string>;
}

export interface Definitions {
  server: ServerInput;
  app: Omit<AppInput, 'serverId'>;
  /** The proxy settings the file names, over those a known server has. */
  proxy: BerthFile['server']['proxy'];
  /** Secret keys whose value came from the environment (for the output; never the values). */
  secretsFromEnv: string[];
}

/**
 * Turns a berth file into the server and app definitions the contract takes. A secret's value comes from the
 * environment variable of its name, else stays as this home keeps it; one with neither is an error naming both fixes.
 */
export function definitionsFrom(file: BerthFile, context: DefinitionContext): Definitions {
  const missing = file.app.secrets.filter((key) => context.env[key] === undefined && !context.storedSecrets.has(key));
  if (missing.length > 0) {
    throw new BerthError(
      'INVALID_INPUT',
      `The berth file names the secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, with no value: set the environment variable${missing.length > 1 ? 's' : ''} of the same name in the job (or once: berth app set ${file.app.name} --secret-env KEY=VAR).`,
    );
  }
  const env: EnvVarInput[] = [
    ...Object.entries(file.app.env).map(([key, value]) => ({ key, value, secret: false })),
    ...file.app.secrets.map((key) => ({ key, secret: true, ...(context.env[key] !== undefined ? { value: context.env[key] } : {}) })),
  ];
  const { name, source, build, runtime, retention } = file.app;
  return {
    server: serverInput(file.server, context),
    proxy: file.server.proxy,
    app: { name, source: sourceFrom(source, context.dir), build, runtime: { ...runtime, env }, retention },
    secretsFromEnv: file.app.secrets.filter((key) => context.env[key] !== undefined),
  };
}

function serverInput(server: BerthFile['server'], context: DefinitionContext): ServerInput {
  const auth: ServerInput['auth'] = server.key !== undefined ? { kind: 'key', keyPath: resolve(context.dir, expandPath(server.key, context)) } : { kind: 'agent' };
  return {
    name: server.name ?? server.host,
    host: server.host,
    port: server.port,
    user: server.user,
    auth,
    ...(server.dockerSocket !== undefined ? { dockerSocket: server.dockerSocket } : {}),
    ...(server.proxy ? { proxy: { httpPort: 80, image: DEFAULT_PROXY_IMAGE, bindAddress: '0.0.0.0', ...server.proxy } } : {}),
  };
}

function sourceFrom(source: BerthFile['app']['source'], dir: string): AppSource {
  if (source.kind !== 'folder') return source;
  return { kind: 'folder', path: isAbsolute(source.path) ? source.path : resolve(dir, source.path) };
}

/** `~/…`, `$VAR/…` and `${VAR}/…` in a key's path; a variable that is not set is named rather than read as empty. */
export function expandPath(path: string, context: Pick<DefinitionContext, 'env' | 'home'>): string {
  const withVars = path.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = context.env[name];
    if (value === undefined) throw new BerthError('INVALID_INPUT', `The berth file's server.key names $${name}, which is not set: set it to the key file's path.`);
    return value;
  });
  return withVars === '~' || withVars.startsWith('~/') ? `${context.home}${withVars.slice(1)}` : withVars;
}
