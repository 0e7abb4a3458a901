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
