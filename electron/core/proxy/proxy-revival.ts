import type { EventBus } from '../events/event-bus';
import { detectRuntime, type ServerLookup } from '../deploy/pipeline';
import type { LinkProvider } from '../ssh/server-link';
import { EdgeProxy } from './edge-proxy';

/**
 * Each time a server connects, an edge proxy found stopped (Docker restarted, someone stopped it) is started again
 * with the routes of what runs, so apps do not wait for the next deploy to get their traffic back. Its restart
 * policy covers the case where the connection stayed up.
 */
export function reviveProxyOnConnect(bus: EventBus, links: LinkProvider, servers: ServerLookup): () => void {
  const last = new Map<string, string>();
  return bus.on('servers.status', (status) => {
    const previous = last.get(status.serverId);
    last.set(status.serverId, status.state);
    if (status.state === 'connected' && previous !== 'connected') void reviveProxy(links, servers, status.serverId).catch(() => undefined);
  });
}

export async function reviveProxy(links: LinkProvider, servers: ServerLookup, serverId: string): Promise<boolean> {
  const server = await servers(serverId);
  const link = await links.acquire(serverId);
  try {
    const swarm = (await detectRuntime(link)) === 'swarm';
    return await new EdgeProxy(link, server.proxy, swarm).revive();
  } finally {
    links.release(serverId);
  }
}
