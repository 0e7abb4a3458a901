import type Docker from 'dockerode';
import type { Deployment, DriftItem, ReconcileReport } from '../../../shared/api/deployments';
import type { EventBus } from '../events/event-bus';
import { BERTH_NETWORK, PROXY_CONTAINER } from '../proxy/edge-proxy';
import { backendName, PROXY_API_PORT, slotStateOf, type ServerStateRow } from '../proxy/haproxy-config';
import { HaproxyRuntime } from '../proxy/haproxy-runtime';
import { slotServerName } from '../proxy/proxy-model';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import { LABEL, labelFilter } from './labels';
import { detectRuntime, summaryOf } from './pipeline';
import type { DeployQueue } from './queue';
import { isInProgress, transition } from './state-machine';
import { ownedByOtherLiveProcess } from './owner';

const REACH_TIMEOUT_MS = 15_000;

export interface ReconcileDeps {
  store: ReleaseStore;
  links: LinkProvider;
  bus: EventBus;
  queue: DeployQueue;
  now?: () => Date;
}

/**
 * Compares one server's records with what runs there (by labels) and repairs the records: a deployment no process
 * runs any more is marked interrupted with the reason (or live, if it did finish and serves), leftovers it started
 * are removed, and drift is reported: live releases that are gone, containers Berth has no record of.
 */
export async function reconcileServer(deps: ReconcileDeps, serverId: string): Promise<ReconcileReport> {
  const now = deps.now ?? (() => new Date());
  const items: DriftItem[] = [];
  const stale = deps.store.list(serverId).filter((d) => isStale(deps, d));
  let link: ServerLink;
  const leasing = deps.links.acquire(serverId);
  try {
    link = await withTimeout(leasing, REACH_TIMEOUT_MS);
  } catch (error) {
    // a lease that arrives after we gave up is handed straight back
    leasing.then(() => deps.links.release(serverId), () => undefined);
    for (const d of stale) {
      const why = `Berth stopped while this deployment was ${d.status}; ${serverId} could not be reached to check what it left (${(error as Error).message}).`;
      items.push(markInterrupted(deps, d, why, now()));
    }
    return report(deps, serverId, items, now());
  }
  try {
    const docker = link.docker;
    const runtime = await detectRuntime(link);
    const containers = await docker.listContainers({ all: true, filters: { label: labelFilter({ [LABEL.managed]: 'true', [LABEL.role]: 'app' }) } });
    const services = runtime === 'swarm' ? await docker.listServices({ filters: { label: labelFilter({ [LABEL.managed]: 'true' }) } }) : [];
    const rows = runtime === 'standalone' ? await proxyRows(link) : null;

    for (const d of stale) {
      const serving = runtime === 'swarm' ? serviceServes(services, d) : containersServe(containers, rows, d);
      if (serving && d.status === 'health-checking') {
        items.push(markRecovered(deps, d, now()));
        continue;
      }
      if (!serving && runtime === 'standalone') {
        for (const c of containers.filter((c) => c.Labels[LABEL.deployment] === d.id)) {
          await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
          items.push({ kind: 'cleaned-up', app: d.app, deploymentId: d.id, containerId: c.Id, message: `Removed ${nameOf(c)}, left by the interrupted deployment #${d.seq}.` });
        }
      }
      const why = `Berth stopped while this deployment was ${d.status}; ${serving ? 'it still runs on the server' : 'what it had started was removed'}. The previous live version was not touched.`;
      items.push(markInterrupted(deps, d, why, now()));
    }

    const records = deps.store.list(serverId);
    for (const d of records.filter((r) => r.status === 'live')) {
      const alive = runtime === 'swarm' ? serviceServes(services, d) : containers.some((c) => c.Labels[LABEL.deployment] === d.id && c.State === 'running');
      if (!alive) {
        const message = `${d.app} #${d.seq} is recorded live, but ${runtime === 'swarm' ? 'its service does not run it' : 'none of its containers runs'} on ${serverId}.`;
        items.push({ kind: 'live-gone', app: d.app, deploymentId: d.id, containerId: null, message });
        deps.bus.emit('notifications.appDown', { serverId, app: d.app, deploymentId: d.id, seq: d.seq, message });
      }
    }

    const known = new Set(records.map((r) => r.id));
    for (const c of containers.filter((c) => c.State === 'running')) {
      const dep = c.Labels[LABEL.deployment] ?? '';
      if (!known.has(dep)) {
        items.push({
          kind: 'unknown-container',
          app: c.Labels[LABEL.app] ?? null,
          deploymentId: dep || null,
          containerId: c.Id,
          message: `${nameOf(c)} runs ${c.Labels[LABEL.app] ?? 'an app'} from a deployment this computer has no record of (${dep || 'no id'}).`,
        });
      }
    }
    for (const c of await strangersOnNetwork(docker)) {
      items.push({ kind: 'unknown-container', app: null, deploymentId: null, containerId: c.Id, message: `${nameOf(c)} is on the ${BERTH_NETWORK} network but Berth did not start it.` });
    }
  } finally {
    deps.links.release(serverId);
  }
  return report(deps, serverId, items, now());
}

/** At engine start: every server with a record still in progress gets reconciled, so none stays "running". */
export async function reconcileAtStartup(deps: ReconcileDeps): Promise<ReconcileReport[]> {
  const servers = deps.store.servers().filter((s) => deps.store.list(s).some((d) => isStale(deps, d)));
  return Promise.all(servers.map((s) => reconcileServer(deps, s)));
}

/** In progress, yet run by no live process: not by this engine's queue, nor by another Berth sharing the home. */
function isStale(deps: ReconcileDeps, d: Deployment): boolean {
  return isInProgress(d.status) && !deps.queue.isQueued(d.id) && !ownedByOtherLiveProcess(d.owner);
}

function markInterrupted(deps: ReconcileDeps, d: Deployment, message: string, at: Date): DriftItem {
  const next = deps.store.save(transition(d, 'interrupted', at, { error: { code: 'INTERRUPTED', message } }));
  deps.bus.emit('deployments.changed', summaryOf(next));
  return { kind: 'interrupted', app: d.app, deploymentId: d.id, containerId: null, message: `#${d.seq}: ${message}` };
}

function markRecovered(deps: ReconcileDeps, d: Deployment, at: Date): DriftItem {
  for (const previous of deps.store.list(d.serverId, { app: d.app })) {
    if (previous.status !== 'live') continue;
    const stepped = deps.store.save({ ...transition(previous, 'superseded', at), supersededBy: d.id });
    deps.bus.emit('deployments.changed', summaryOf(stepped));
  }
  const note = 'Traffic had already moved to it when Berth stopped; recorded live on reconciliation.';
  const next = deps.store.save(transition(d, 'live', at, { note }));
  deps.bus.emit('deployments.changed', summaryOf(next));
  return { kind: 'recovered', app: d.app, deploymentId: d.id, containerId: null, message: `#${d.seq}: ${note}` };
}

function report(deps: ReconcileDeps, serverId: string, items: DriftItem[], at: Date): ReconcileReport {
  const out = { serverId, at: at.toISOString(), items };
  deps.bus.emit('deployments.drift', out);
  return out;
}

/** Standalone: its containers run and (when routed) the proxy sends them traffic. */
function containersServe(containers: Docker.ContainerInfo[], rows: ServerStateRow[] | null, d: Deployment): boolean {
  const mine = containers.filter((c) => c.Labels[LABEL.deployment] === d.id && c.State === 'running');
  if (mine.length === 0) return false;
  if (d.config.httpPort === null || rows === null) return true;
  return mine.some((c) => {
    const row = rows.find((r) => r.backend === backendName(d.app) && r.server === slotServerName(c.Labels[LABEL.slot] ?? '', Number(c.Labels[LABEL.replica] ?? 0)));
    return row !== undefined && slotStateOf(row) === 'ready';
  });
}

/** Swarm: the service's current spec is this deployment's and its update (if any) completed. */
function serviceServes(services: Docker.Service[], d: Deployment): boolean {
  const service = services.find((s) => (s as { Spec?: { Name?: string } }).Spec?.Name === d.app) as
    | { Spec?: { Labels?: Record<string, string> }; UpdateStatus?: { State?: string } }
    | undefined;
  if (!service || service.Spec?.Labels?.[LABEL.deployment] !== d.id) return false;
  const state = service.UpdateStatus?.State;
  return state === undefined || state === 'completed';
}

async function proxyRows(link: ServerLink): Promise<ServerStateRow[] | null> {
  try {
    const info = await link.docker.getContainer(PROXY_CONTAINER).inspect();
    const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress;
    if (!address || !info.State.Running) return null;
    return await new HaproxyRuntime(() => link.forwardOut(address, PROXY_API_PORT)).serversState();
  } catch {
    return null;
  }
}

async function strangersOnNetwork(docker: Docker): Promise<Docker.ContainerInfo[]> {
  const list = await docker.listContainers({ filters: { network: [BERTH_NETWORK] } }).catch(() => []);
  return list.filter((c) => c.Labels?.[LABEL.managed] !== 'true');
}

function nameOf(c: Docker.ContainerInfo): string {
  return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
