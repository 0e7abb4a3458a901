import type Docker from 'dockerode';
import type { Deployment, ProbeLine, RuntimeKind } from '../../../shared/api/deployments';
import { isNotFound, messageOf } from '../deploy/docker-util';
import { abortableSleep, probeOnce } from '../deploy/health-probe';
import { LABEL } from '../deploy/labels';
import { isInProgress } from '../deploy/state-machine';
import type { EventBus } from '../events/event-bus';
import { BERTH_NETWORK } from '../proxy/edge-proxy';
import type { ReleaseStore } from '../releases/release-store';
import type { ServerLock } from '../locks/server-lock';
import type { LinkProvider, ServerLink } from '../ssh/server-link';

export interface WatchRequest {
  record: Deployment;
  runtime: RuntimeKind;
  watchMs: number;
  /** Consecutive failed probes that fail the watch. */
  failures: number;
  /** Called once when the watch fails, with the probes that led to it. */
  onFailure(reason: string, probes: ProbeLine[]): Promise<void>;
}

export interface WatchDeps {
  links: LinkProvider;
  store: ReleaseStore;
  bus: EventBus;
  /** Tells whether another Berth holds the app's deploy lock: it is replacing the release, which is no failure. */
  lock: Pick<ServerLock, 'heldByOther'>;
}

interface Probe {
  ok: boolean;
  detail: string;
  /** What was watched is gone from the server or no longer the app's spec: someone replaced it. */
  replaced?: boolean;
}

const MAX_PROBES = 50;

/** Probe spacing in the watch window: the app's health interval, within bounds that keep a revert quick. */
export function watchInterval(intervalMs: number): number {
  return Math.min(5000, Math.max(200, intervalMs));
}

/**
 * Watches releases that just went live: probes them continuously for the watch window (Berth's own HTTP/TCP/command
 * probe through the link on a plain engine; the tasks' Docker health on Swarm) and reports a failure once
 * `failures` probes in a row failed. A release that stops being live (the next deployment) ends its watch.
 */
export class ReleaseWatch {
  private readonly active = new Map<string, AbortController>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: WatchDeps) {}

  start(request: WatchRequest): void {
    // a run that ends while the engine closes must not start a watch nobody will stop
    if (this.closed) return;
    const controller = new AbortController();
    this.active.get(request.record.id)?.abort();
    this.active.set(request.record.id, controller);
    const run = this.watch(request, controller.signal).finally(() => {
      if (this.active.get(request.record.id) === controller) this.active.delete(request.record.id);
      this.running.delete(run);
    });
    this.running.add(run);
  }

  isWatching(deploymentId: string): boolean {
    return this.active.has(deploymentId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.active.values()) controller.abort();
    await Promise.all(this.running);
  }

  /** A release is judged while it is live and nothing newer of its app is under way (which would replace it anyway). */
  private stillJudged(record: Deployment): boolean {
    const records = this.deps.store.list(record.serverId, { app: record.app });
    return records.find((d) => d.id === record.id)?.status === 'live' && !records.some((d) => d.seq > record.seq && isInProgress(d.status));
  }

  private async watch(request: WatchRequest, signal: AbortSignal): Promise<void> {
    const { record } = request;
    const until = Date.now() + request.watchMs;
    const event = (state: 'watching' | 'passed' | 'failed' | 'stopped', probes: number): void =>
      this.deps.bus.emit('deployments.watch', { serverId: record.serverId, app: record.app, deploymentId: record.id, state, until: new Date(until).toISOString(), probes });
    const probes: ProbeLine[] = [];
    let link: ServerLink;
    try {
      link = await this.deps.links.acquire(record.serverId);
    } catch {
      event('stopped', 0);
      return;
    }
    try {
      event('watching', 0);
      const interval = watchInterval(record.config.healthCheck.intervalMs);
      const seenFailed = new Set<string>();
      let failedInRow = 0;
      let count = 0;
      while (Date.now() < until) {
        if (signal.aborted || !this.stillJudged(record)) {
          event('stopped', count);
          return;
        }
        const probe = request.runtime === 'swarm' ? await probeSwarm(link.docker, record, seenFailed) : await probeStandalone(link, record);
        if (probe.replaced) {
          event('stopped', count);
          return;
        }
        // a failure while the server itself does not answer says nothing about the release: it is not counted
        if (!probe.ok && !(await reachable(link))) {
          await abortableSleep(interval, signal);
          continue;
        }
        count++;
        probes.push({ at: new Date().toISOString(), ok: probe.ok, detail: probe.detail });
        if (probes.length > MAX_PROBES) probes.shift();
        failedInRow = probe.ok ? 0 : failedInRow + 1;
        if (failedInRow >= request.failures && this.stillJudged(record)) {
          // another Berth deploying the app now explains the failures: its deploy replaces this release
          if (await this.deps.lock.heldByOther(link, record.app).catch(() => false)) {
            event('stopped', count);
            return;
          }
          event('failed', count);
          const seconds = ((Date.now() - (until - request.watchMs)) / 1000).toFixed(1);
          await request.onFailure(`#${record.seq} failed ${failedInRow} health probes in a row ${seconds} s after going live (last: ${probe.detail})`, probes);
          return;
        }
        await abortableSleep(interval, signal);
      }
      event('passed', count);
    } finally {
      this.deps.links.release(record.serverId);
    }
  }
}

/** Whether the server's Docker answers through the link right now (within a second). */
async function reachable(link: ServerLink): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 1000);
  });
  const ping = link.docker.ping().then(
    () => true,
    () => false,
  );
  const answer = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return answer;
}

/** Every container of the release runs and answers its health check, probed from the server's side of the link. */
async function probeStandalone(link: ServerLink, record: Deployment): Promise<Probe> {
  const details: string[] = [];
  for (const id of record.containers) {
    let info: Docker.ContainerInspectInfo;
    try {
      info = await link.docker.getContainer(id).inspect();
    } catch (error) {
      return isNotFound(error) ? { ok: false, detail: `${id.slice(0, 12)} is gone`, replaced: true } : { ok: false, detail: messageOf(error) };
    }
    const name = info.Name.replace(/^\//, '');
    if (!info.State.Running) return { ok: false, detail: `${name} exited with code ${info.State.ExitCode}` };
    const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress ?? '';
    const result = await probeOnce(link, { containerId: id, name, address, port: record.config.httpPort ?? 80 }, record.config.healthCheck);
    if (!result.ok) return { ok: false, detail: `${name}: ${result.detail}` };
    details.push(result.detail);
  }
  return { ok: true, detail: details[0] ?? 'running' };
}

interface TaskView {
  ID?: string;
  DesiredState?: string;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

/** The release's tasks all run with a healthy Docker health status, and none failed since the last look. */
async function probeSwarm(docker: Docker, record: Deployment, seenFailed: Set<string>): Promise<Probe> {
  let labels: Record<string, string> | undefined;
  try {
    labels = ((await docker.getService(record.app).inspect()).Spec as { Labels?: Record<string, string> } | undefined)?.Labels;
  } catch (error) {
    return isNotFound(error) ? { ok: false, detail: 'the service is gone', replaced: true } : { ok: false, detail: messageOf(error) };
  }
  if (labels?.[LABEL.deployment] !== record.id) return { ok: false, detail: 'the service runs another deployment now', replaced: true };
  const tasks = ((await docker.listTasks({ filters: { service: [record.app] } }).catch(() => [])) as TaskView[]).filter(
    (t) => t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] === record.id,
  );
  const failed = tasks.filter((t) => (t.Status?.State === 'failed' || t.Status?.State === 'rejected') && t.ID && !seenFailed.has(t.ID));
  for (const t of failed) seenFailed.add(t.ID ?? '');
  if (failed.length > 0) return { ok: false, detail: `task failed: ${failed[0]?.Status?.Err ?? 'unknown error'}` };
  const running = tasks.filter((t) => t.DesiredState === 'running' && t.Status?.State === 'running');
  if (running.length < record.config.replicas) return { ok: false, detail: `${running.length} of ${record.config.replicas} tasks running` };
  for (const t of running) {
    const id = t.Status?.ContainerStatus?.ContainerID;
    if (!id) continue;
    // a task on another node cannot be inspected from here; its task state is what counts then
    const health = await docker
      .getContainer(id)
      .inspect()
      .then((i) => i.State.Health)
      .catch(() => undefined);
    if (health && health.Status !== 'healthy') {
      const last = health.Log?.[health.Log.length - 1];
      return { ok: false, detail: `task container ${id.slice(0, 12)} is ${health.Status}${last ? ` (exit ${last.ExitCode}: ${last.Output.trim().slice(0, 120)})` : ''}` };
    }
  }
  return { ok: true, detail: `${running.length} task(s) healthy` };
}
