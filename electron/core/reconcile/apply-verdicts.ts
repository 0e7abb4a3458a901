import type { Deployment, DeploymentStatus, DriftItem } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import { transition } from '../deploy/state-machine';
import { EdgeProxy } from '../proxy/edge-proxy';
import { backendName } from '../proxy/haproxy-config';
import { slotServerName } from '../proxy/proxy-model';
import type { ServerLink } from '../ssh/server-link';
import type { ContainerFact } from './server-facts';

/** Saves a record and announces it: the one way reconciliation changes a record. */
export type SaveRecord = (next: Deployment) => Deployment;

/** The phases still ahead of an in-progress record on its way to a verdict (a build that never ran is skipped). */
const AHEAD: Partial<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  queued: ['starting', 'health-checking'],
  building: ['starting', 'health-checking'],
  starting: ['health-checking'],
};

/**
 * Moves a record to a final state along the lifecycle: an in-progress record walks through the phases it had not
 * reached yet (a Swarm update that completed while its record said "starting" went through its health check too).
 */
export function settle(d: Deployment, to: 'live' | 'failed' | 'rolled-back' | 'interrupted', at: Date, patch: Parameters<typeof transition>[3] = {}): Deployment {
  let record = d;
  if (to === 'live' || to === 'rolled-back') for (const status of AHEAD[d.status] ?? []) record = transition(record, status, at);
  return transition(record, to, at, patch);
}

/** Every other live record of the app steps down for the one found serving. */
export function stepDownOthers(records: readonly Deployment[], serving: Deployment, at: Date, save: SaveRecord): Deployment[] {
  const stepped: Deployment[] = [];
  for (const previous of records) {
    if (previous.app !== serving.app || previous.status !== 'live' || previous.id === serving.id) continue;
    stepped.push(save({ ...transition(previous, 'superseded', at), supersededBy: serving.id }));
  }
  return stepped;
}

/**
 * Finishes a switch a crash cut short: the release found serving keeps the traffic, the containers of the release it
 * replaced leave the proxy (maint) and the server.
 */
export async function retireContainers(link: ServerLink, server: Server, app: string, old: readonly ContainerFact[], routed: boolean): Promise<void> {
  if (old.length === 0) return;
  const proxy = routed ? new EdgeProxy(link, server.proxy, false) : null;
  if (proxy) {
    await proxy.ensure();
    await proxy.withLock(async () => {
      for (const c of old) await proxy.runtime.setState(backendName(app), slotServerName(c.slot, c.replica), 'maint');
    });
  }
  for (const c of old) await link.docker.getContainer(c.id).remove({ force: true }).catch(() => undefined);
  await proxy?.persist();
}

/** Puts a stop-first run's previous version back: its containers started again and routed. */
export async function restartContainers(link: ServerLink, server: Server, app: string, stopped: readonly ContainerFact[], routed: boolean): Promise<void> {
  if (stopped.length === 0) return;
  for (const c of stopped) await link.docker.getContainer(c.id).start().catch(() => undefined);
  if (!routed) return;
  const proxy = new EdgeProxy(link, server.proxy, false);
  await proxy.ensure();
  await proxy.withLock(async () => {
    for (const c of stopped) await proxy.runtime.setState(backendName(app), slotServerName(c.slot, c.replica), 'ready');
  });
}

export function driftItem(kind: DriftItem['kind'], d: Pick<Deployment, 'app' | 'id' | 'seq'>, message: string, containerId: string | null = null): DriftItem {
  return { kind, app: d.app, deploymentId: d.id, containerId, message: `#${d.seq}: ${message}` };
}
