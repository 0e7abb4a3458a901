import type { Server } from '../../../shared/api/servers';
import { EdgeProxy, PROXY_CONTAINER } from '../proxy/edge-proxy';
import type { ServerLink } from '../ssh/server-link';
import { removeService } from '../swarm/swarm-release';
import { isNotFound } from './docker-util';
import { detectRuntime } from './pipeline';
import { appContainers, removeContainer } from './standalone-release';

/** Stops an app on its server: its containers or its service go, and the proxy drops its route. Images stay. */
export async function removeAppRuntime(link: ServerLink, server: Server, app: string): Promise<void> {
  const runtime = await detectRuntime(link);
  if (runtime === 'swarm') await removeService(link.docker, app);
  for (const c of await appContainers(link.docker, app)) await removeContainer(link.docker, c.Id);
  const proxyExists = await link.docker
    .getContainer(PROXY_CONTAINER)
    .inspect()
    .then(() => true)
    .catch((error: unknown) => (isNotFound(error) ? false : Promise.reject(error)));
  if (proxyExists) await new EdgeProxy(link, server.proxy, runtime === 'swarm').sync();
}
