import type { ServerLink } from './server-link';

const daemonIds = new WeakMap<ServerLink, Promise<string>>();

/**
 * The ID of the Docker daemon Berth reaches through the link, asked once per link: it keys the server's per-daemon
 * folders (locks, context and git caches), so two daemons behind one SSH account never share them.
 */
export function serverDaemonId(link: ServerLink): Promise<string> {
  let id = daemonIds.get(link);
  if (!id) {
    id = link.docker.info().then((info: { ID?: string }) => info.ID ?? link.serverId);
    id.catch(() => daemonIds.delete(link));
    daemonIds.set(link, id);
  }
  return id;
}
