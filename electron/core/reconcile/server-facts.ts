import type Docker from 'dockerode';
import type { RuntimeKind } from '../../../shared/api/deployments';
import { LABEL, labelFilter } from '../deploy/labels';
import { detectRuntime } from '../deploy/pipeline';
import { BERTH_NETWORK, PROXY_CONTAINER } from '../proxy/edge-proxy';
import { PROXY_API_PORT, slotStateOf, type SlotState } from '../proxy/haproxy-config';
import { HaproxyRuntime } from '../proxy/haproxy-runtime';
import type { ServerLink } from '../ssh/server-link';

/** One container Berth started for an app, as its labels describe it. */
export interface ContainerFact {
  id: string;
  name: string;
  app: string;
  deployment: string;
  /** `user@host` of the Berth that started it ('' on containers from before owners were labelled). */
  owner: string;
  slot: string;
  replica: number;
  running: boolean;
  /** Exited or created, not removed. */
  stopped: boolean;
}

/** One HAProxy server line of an app's backend and the state it is in. */
export interface RouteFact {
  backend: string;
  server: string;
  state: SlotState;
}

/** A Swarm service running an app: which deployment its spec (and the spec before it) came from, and its update. */
export interface ServiceFact {
  app: string;
  deployment: string;
  owner: string;
  previousDeployment: string;
  /** Deployments any task of the service ran, its task history included: a spec Swarm rolled back leaves its tasks. */
  taskDeployments: string[];
  /** UpdateStatus.State (`updating`, `completed`, `rollback_completed`…); undefined for a service never updated. */
  updateState: string | undefined;
  updateMessage: string;
  /** Running tasks of the current spec's deployment, and tasks of it that failed. */
  runningTasks: number;
  failedTasks: number;
  /** Why the newest failed task of the current spec ended ("task: non-zero exit (137)"); '' when none failed. */
  lastTaskError: string;
  replicas: number;
}

export interface ServerFacts {
  runtime: RuntimeKind;
  containers: ContainerFact[];
  /** Null when the edge proxy does not run or does not answer: routing cannot be told. */
  routes: RouteFact[] | null;
  services: ServiceFact[];
  /** Running containers on the Berth network that Berth did not start. */
  strangers: Array<{ id: string; name: string }>;
}

/** Everything reconciliation needs to know about one server, read in a handful of calls. */
export async function readServerFacts(link: ServerLink): Promise<ServerFacts> {
  const docker = link.docker;
  const runtime = await detectRuntime(link);
  const listed = await docker.listContainers({ all: true, filters: { label: labelFilter({ [LABEL.managed]: 'true', [LABEL.role]: 'app' }) } });
  const services = runtime === 'swarm' ? await readServices(docker) : [];
  const routes = runtime === 'standalone' ? await readRoutes(link) : null;
  const strangers = (await docker.listContainers({ filters: { network: [BERTH_NETWORK] } }).catch(() => []))
    .filter((c) => c.Labels?.[LABEL.managed] !== 'true')
    .map((c) => ({ id: c.Id, name: nameOf(c) }));
  return { runtime, containers: listed.map(containerFact), routes, services, strangers };
}

/** The facts of one app's service only: what following a Swarm update polls. */
export async function readServiceFact(docker: Docker, app: string): Promise<ServiceFact | undefined> {
  return (await readServices(docker)).find((s) => s.app === app);
}

function containerFact(c: Docker.ContainerInfo): ContainerFact {
  return {
    id: c.Id,
    name: nameOf(c),
    app: c.Labels[LABEL.app] ?? '',
    deployment: c.Labels[LABEL.deployment] ?? '',
    owner: c.Labels[LABEL.owner] ?? '',
    slot: c.Labels[LABEL.slot] ?? '',
    replica: Number(c.Labels[LABEL.replica] ?? 0),
    running: c.State === 'running',
    stopped: c.State === 'exited' || c.State === 'created',
  };
}

interface ServiceView {
  Spec?: { Name?: string; Labels?: Record<string, string>; Mode?: { Replicated?: { Replicas?: number } } };
  PreviousSpec?: { Labels?: Record<string, string> };
  UpdateStatus?: { State?: string; Message?: string };
}

interface TaskView {
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Timestamp?: string };
  ServiceID?: string;
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

async function readServices(docker: Docker): Promise<ServiceFact[]> {
  const services = (await docker.listServices({ filters: { label: labelFilter({ [LABEL.managed]: 'true' }) } })) as Array<ServiceView & { ID: string }>;
  if (services.length === 0) return [];
  const names = services.map((s) => s.Spec?.Name ?? '').filter((n) => n !== '');
  const tasks = (await docker.listTasks({ filters: { service: names } }).catch(() => [])) as TaskView[];
  return services.map((s) => {
    const deployment = s.Spec?.Labels?.[LABEL.deployment] ?? '';
    const ours = tasks.filter((t) => t.ServiceID === s.ID && t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] === deployment);
    return {
      app: s.Spec?.Name ?? '',
      deployment,
      owner: s.Spec?.Labels?.[LABEL.owner] ?? '',
      previousDeployment: s.PreviousSpec?.Labels?.[LABEL.deployment] ?? '',
      taskDeployments: [...new Set(tasks.filter((t) => t.ServiceID === s.ID).map((t) => t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] ?? ''))].filter((d) => d !== ''),
      updateState: s.UpdateStatus?.State,
      updateMessage: s.UpdateStatus?.Message ?? '',
      runningTasks: ours.filter((t) => t.Status?.State === 'running' && t.DesiredState === 'running').length,
      failedTasks: ours.filter(failedTask).length,
      lastTaskError: newestFailure(ours),
      replicas: s.Spec?.Mode?.Replicated?.Replicas ?? 1,
    };
  });
}

function failedTask(t: TaskView): boolean {
  return t.Status?.State === 'failed' || t.Status?.State === 'rejected';
}

function newestFailure(tasks: TaskView[]): string {
  const failed = tasks.filter(failedTask).sort((a, b) => (b.Status?.Timestamp ?? '').localeCompare(a.Status?.Timestamp ?? ''));
  return failed[0]?.Status?.Err ?? '';
}

async function readRoutes(link: ServerLink): Promise<RouteFact[] | null> {
  try {
    const info = await link.docker.getContainer(PROXY_CONTAINER).inspect();
    const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress;
    if (!address || !info.State.Running) return null;
    const rows = await new HaproxyRuntime(() => link.forwardOut(address, PROXY_API_PORT)).serversState();
    return rows.map((row) => ({ backend: row.backend, server: row.server, state: slotStateOf(row) }));
  } catch {
    return null;
  }
}

function nameOf(c: Docker.ContainerInfo): string {
  return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}
