import type { App } from '../../shared/api/apps';
import type { Deployment } from '../../shared/api/deployments';
import type { Server } from '../../shared/api/servers';
import { BerthError } from '../../shared/errors';
import type { CliContext } from './context';

/** A server named on the command line by id or by name; with none given, the only one there is. */
export async function resolveServer(ctx: CliContext, nameOrId: string | undefined): Promise<Server> {
  const servers = await ctx.call('servers.list', {});
  if (nameOrId === undefined) {
    const remote = servers.filter((s) => !s.builtin);
    if (remote.length === 1) return remote[0]!;
    throw new BerthError('INVALID_INPUT', `Name the server with --server (one of: ${servers.map((s) => s.id).join(', ') || 'none yet'}).`);
  }
  const found = servers.find((s) => s.id === nameOrId) ?? servers.find((s) => s.name === nameOrId);
  if (!found) {
    throw new BerthError('SERVER_NOT_FOUND', `There is no server "${nameOrId}". \`berth server list\` shows the ones Berth knows.`);
  }
  return found;
}

export interface ResolvedApp {
  server: Server;
  app: App;
}

/**
 * An app named on the command line. With --server it is looked up there; without, on every server, and the name
 * must be unambiguous. Reading definitions needs no connection.
 */
export async function resolveApp(ctx: CliContext, name: string, serverName: string | undefined): Promise<ResolvedApp> {
  if (serverName !== undefined) {
    const server = await resolveServer(ctx, serverName);
    return { server, app: await ctx.call('apps.get', { serverId: server.id, name }) };
  }
  const servers = await ctx.call('servers.list', {});
  const found: ResolvedApp[] = [];
  for (const server of servers) {
    const app = (await ctx.call('apps.list', { serverId: server.id })).find((a) => a.name === name);
    if (app) found.push({ server, app });
  }
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new BerthError('APP_NOT_FOUND', `There is no app "${name}" on any server. \`berth app list\` shows the apps Berth knows.`);
  }
  throw new BerthError('INVALID_INPUT', `"${name}" is an app on ${found.map((f) => f.server.id).join(' and ')}: name one with --server.`);
}

/** Every deployment of one app, newest first. */
export async function appHistory(ctx: CliContext, serverId: string, app: string, limit = 1000): Promise<Deployment[]> {
  return ctx.call('deployments.list', { serverId, app, limit });
}

/** `3`, `#3` or a deployment id. */
export function findDeployment(deployments: readonly Deployment[], app: string, to: string): Deployment {
  const seq = /^#?(\d+)$/.exec(to.trim());
  const found = seq ? deployments.find((d) => d.seq === Number(seq[1])) : deployments.find((d) => d.id === to.trim());
  if (!found) {
    throw new BerthError('DEPLOYMENT_NOT_FOUND', `${app} has no deployment ${seq ? `#${seq[1]}` : to}. \`berth history ${app}\` lists them.`);
  }
  return found;
}
