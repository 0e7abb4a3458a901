import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { App } from '../../shared/api/apps';
import type { Server } from '../../shared/api/servers';
import { BERTH_FILE_NAME } from '../../shared/defaults';
import { BerthError } from '../../shared/errors';
import { definitionsFrom, type Definitions } from '../core/berth-file/definitions';
import { formatProblems, parseBerthFile } from '../core/berth-file/parse-berth-file';
import type { CliContext } from './context';
import type { ResolvedApp } from './resolve';

/** The berth file to use: the one given, else the one in the current folder, else none. */
export function findBerthFile(given: string | undefined, cwd = process.cwd()): string | null {
  if (given !== undefined) return resolve(cwd, given);
  const here = resolve(cwd, BERTH_FILE_NAME);
  return existsSync(here) ? here : null;
}

/**
 * Makes this home's server and app match a berth file (adding them on a fresh home), so the deployment that follows
 * builds what the repository says. Secret values come from the environment and go to the engine, which seals them.
 */
export async function applyBerthFile(ctx: CliContext, path: string): Promise<ResolvedApp> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BerthError('INVALID_INPUT', `Cannot read the berth file ${path}: ${(error as Error).message}.`);
  }
  const parsed = parseBerthFile(text);
  if (!parsed.ok) throw new BerthError('INVALID_INPUT', `${path} has ${parsed.problems.length === 1 ? 'a problem' : `${parsed.problems.length} problems`}:\n${formatProblems(basename(path), parsed.problems)}`);
  const file = parsed.file;
  if (file.server.hostKey !== undefined) ctx.trustHostKey(file.server.hostKey);

  const servers = await ctx.call('servers.list', {});
  const known = servers.find((s) => !s.builtin && s.host === file.server.host && s.port === file.server.port && s.user === file.server.user);
  const existing = known ? await findApp(ctx, known.id, file.app.name) : null;
  const storedSecrets = new Set((existing?.runtime.env ?? []).filter((v) => v.secret).map((v) => v.key));
  const defs = definitionsFrom(file, { dir: dirname(path), env: process.env, home: homedir(), storedSecrets });

  const server = await upsertServer(ctx, known, defs);
  const app = existing
    ? await ctx.call('apps.update', { serverId: server.id, name: existing.name, patch: { source: defs.app.source, build: defs.app.build, runtime: defs.app.runtime, retention: defs.app.retention } })
    : await ctx.call('apps.create', { ...defs.app, serverId: server.id });
  const secrets = defs.secretsFromEnv.length > 0 ? ` (secrets from the environment: ${defs.secretsFromEnv.join(', ')})` : '';
  ctx.out.note(`${existing ? 'Updated' : 'Added'} ${app.name} on ${server.name} from ${basename(path)}${secrets}.`);
  return { server, app };
}

async function upsertServer(ctx: CliContext, known: Server | undefined, defs: Definitions): Promise<Server> {
  if (!known) {
    const added = await ctx.call('servers.add', defs.server);
    ctx.out.note(`Added the server ${added.name} (${added.id}) from the berth file.`);
    return added;
  }
  const { auth, dockerSocket } = defs.server;
  const proxy = defs.proxy ? { proxy: { ...known.proxy, ...defs.proxy } } : {};
  return ctx.call('servers.update', { serverId: known.id, patch: { auth, ...proxy, ...(dockerSocket ? { dockerSocket } : {}) } });
}

async function findApp(ctx: CliContext, serverId: string, name: string): Promise<App | null> {
  return (await ctx.call('apps.list', { serverId })).find((a) => a.name === name) ?? null;
}
