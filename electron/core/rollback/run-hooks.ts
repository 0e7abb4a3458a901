import type Docker from 'dockerode';
import type { Deployment, ProbeLine, RegistryPush } from '../../../shared/api/deployments';
import { BerthError, toEnvelope, type ErrorEnvelope } from '../../../shared/errors';
import type { DeploymentHooks, Ending, HookContext } from '../deploy/deployment-hooks';
import { imageExists } from '../deploy/docker-util';
import { LABEL } from '../deploy/labels';
import { summaryOf } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import { describeHolder } from '../locks/lock-script';
import type { ServerLock } from '../locks/server-lock';
import { DeploymentLog } from '../logs/deployment-log';
import type { ImageCache } from '../registry/image-cache';
import type { RegistryAccess } from '../registry/registry-ref';
import { pushWithRetries } from '../registry/release-push';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider } from '../ssh/server-link';
import type { ImageLocator } from './image-locator';
import { markRestored, pruneImages } from './image-pruning';
import { wentLive } from './image-retention';
import type { ReleaseWatch } from './release-watch';
import type { RollbackService } from './rollback-service';
import type { RollbackSettingsStore } from './rollback-settings';

export interface RunHookDeps {
  store: ReleaseStore;
  links: LinkProvider;
  bus: EventBus;
  settings: RollbackSettingsStore;
  locator: ImageLocator;
  cache: ImageCache;
  lock: ServerLock;
  lockTiming: { ttlMs: number; waitMs: number };
  watch: ReleaseWatch;
  service: RollbackService;
  now?: () => Date;
}

/** Work that outlives a deployment's job (a registry push, a cache copy), awaited when the engine closes. */
export class Background {
  private readonly tasks = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  run(task: (signal: AbortSignal) => Promise<void>): void {
    const p = task(this.controller.signal)
      .catch(() => undefined)
      .finally(() => this.tasks.delete(p));
    this.tasks.add(p);
  }

  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all(this.tasks);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }
}

/**
 * How the rollback engine joins every deployment's run: the server-side app lock around it, the image brought back
 * for a rollback, retention + registry push + cache + watch window once live, and the verdict "rolled back" for a
 * release whose health check failed while the previous one kept serving.
 */
export function createRunHooks(deps: RunHookDeps, background: Background): DeploymentHooks {
  const now = deps.now ?? (() => new Date());
  return {
    async begin({ record, link, log, signal }) {
      const held = await deps.lock.acquire(link, record.app, {
        ...deps.lockTiming,
        operation: `${record.kind} #${record.seq}`,
        signal,
        onWait: (holder) => log.info(`Waiting: ${describeHolder(record.app, holder)}.`),
        onLost: (holder) => log.lines('err', `The deploy lock of ${record.app} was taken over${holder ? ` by ${holder.owner} on ${holder.host}` : ''} while this ran.`),
      });
      if (record.trigger === 'auto-rollback') {
        const failed = record.rolledBackFrom ? deps.store.find(link.serverId, record.rolledBackFrom) : undefined;
        if (failed?.status !== 'live') {
          await held.release();
          throw new BerthError('CANCELLED', `#${failed?.seq ?? '?'} is no longer live (a newer deployment replaced it), so there is nothing to roll back automatically.`);
        }
      }
      return held.release;
    },

    async prepare({ record, link, log, signal }) {
      const image = record.image;
      if (!image) throw new BerthError('IMAGE_GONE', `#${record.seq} has no image to run.`);
      if (await imageExists(link.docker, image.id)) return image;
      const target = (record.target ? deps.store.find(link.serverId, record.target) : undefined) ?? record;
      log.info(`The image ${image.tag} (${image.id.slice(7, 19)}) is not on the server any more.`);
      const located = await deps.locator.locate(link, { ...target, image }, { connect: true });
      if (!located) {
        throw new BerthError('IMAGE_GONE', `The image of #${target.seq} (${image.id.slice(7, 19)}) is not on the server, and no registry, other server or cache on this computer has it. Redeploy from source instead.`);
      }
      await deps.locator.fetch(link, { ...target, image }, located, log, signal);
      markRestored({ store: deps.store, cache: deps.cache, bus: deps.bus }, link.serverId, record.app, image.id);
      return image;
    },

    goingLive(record) {
      // said with the live status, so whoever waits for the deployment knows a push follows
      const registry = deps.settings.get(record.serverId, record.app).registry;
      return registry && record.image ? { push: { state: 'pushing', registry: registry.url, attempts: 0, at: now().toISOString(), error: null } } : {};
    },

    async live(ctx) {
      if (ctx.record.push?.state === 'pushing') background.run((signal) => pushToRegistry(deps, ctx.record, signal));
      await keepRetention(deps, ctx);
      const settings = deps.settings.get(ctx.link.serverId, ctx.record.app);
      if (settings.cacheOnLaptop) background.run((signal) => saveToCache(deps, ctx.record, signal));
      startWatch(deps, ctx);
    },

    async ending(ctx, reason, probes) {
      return endingOf(deps, ctx, reason, probes, now());
    },
  };
}

async function keepRetention(deps: RunHookDeps, { record, link, log }: HookContext): Promise<void> {
  const settings = deps.settings.get(link.serverId, record.app);
  const registry = await deps.settings.registryAccess(link.serverId, record.app);
  const report = await pruneImages({ store: deps.store, cache: deps.cache, bus: deps.bus, now: deps.now }, link, record.app, settings.keepLast, registry);
  deps.locator.forget(link.serverId);
  if (report.removed.size > 0) {
    const seqs = [...report.removed.values()].flat().map((id) => `#${deps.store.find(link.serverId, id)?.seq ?? '?'}`);
    log.info(`Retention keeps ${settings.keepLast} rollback point(s): removed the image of ${seqs.join(', ')} from the server.`);
  }
}

function startWatch(deps: RunHookDeps, { record, runtime }: HookContext): void {
  const settings = deps.settings.get(record.serverId, record.app);
  if (!settings.autoRollback || settings.watchMs <= 0 || record.trigger === 'auto-rollback') return;
  const previous = deps.store.list(record.serverId, { app: record.app }).find((d) => d.supersededBy === record.id && wentLive(d));
  if (!previous) return;
  deps.watch.start({
    record: deps.store.get(record.serverId, record.id),
    runtime,
    watchMs: settings.watchMs,
    failures: settings.watchFailures,
    onFailure: async (reason, probes) => {
      deps.service.autoRollback(record, previous, reason, probes);
    },
  });
}

async function endingOf(deps: RunHookDeps, { record, link, runtime }: HookContext, reason: ErrorEnvelope, probes: readonly ProbeLine[], at: Date): Promise<Ending> {
  const settings = deps.settings.get(link.serverId, record.app);
  const swarmRolledBack = runtime === 'swarm' && reason.details?.rolledBack === true;
  if (!settings.autoRollback || (reason.code !== 'HEALTH_CHECK_FAILED' && !swarmRolledBack)) return { status: 'failed' };
  const previous = deps.store.live(link.serverId, record.app);
  if (!previous || previous.id === record.id) return { status: 'failed' };
  const log = runtime === 'swarm' && probes.length === 0 ? await swarmHealthLog(link.docker, record) : [...probes];
  const message = `${record.app} #${record.seq} failed its health check; ${runtime === 'swarm' ? 'Swarm rolled the service back and' : ''} #${previous.seq} kept serving.`;
  deps.bus.emit('notifications.autoRolledBack', { serverId: link.serverId, app: record.app, deploymentId: record.id, seq: record.seq, revertedTo: previous.id, rollbackId: null, message });
  return {
    status: 'rolled-back',
    patch: {
      autoRollback: { at: at.toISOString(), by: runtime === 'swarm' ? 'swarm' : 'berth', phase: 'switch', reason: reason.message, revertedTo: previous.id, rollbackId: null, probes: log },
    },
  };
}

/** Docker's own health log of the release's Swarm tasks (the last probes of each), oldest first. */
async function swarmHealthLog(docker: Docker, record: Deployment): Promise<ProbeLine[]> {
  const tasks = (await docker.listTasks({ filters: { service: [record.app] } }).catch(() => [])) as Array<{
    Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
    Status?: { ContainerStatus?: { ContainerID?: string } };
  }>;
  const lines: ProbeLine[] = [];
  for (const t of tasks) {
    const id = t.Status?.ContainerStatus?.ContainerID;
    if (t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] !== record.id || !id) continue;
    const health = await docker
      .getContainer(id)
      .inspect()
      .then((i) => i.State.Health)
      .catch(() => undefined);
    for (const entry of health?.Log ?? []) {
      lines.push({ at: entry.Start, ok: entry.ExitCode === 0, detail: `${id.slice(0, 12)}: exit ${entry.ExitCode}${entry.Output.trim() ? ` (${entry.Output.trim().slice(0, 200)})` : ''}` });
    }
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at)).slice(-50);
}

/**
 * `<registry>/<app>:<seq>` for every release that went live, retried with backoff; the record says how it went and
 * names the pushed digest. Releases of the app whose push failed before are tried again after it, once each.
 */
async function pushToRegistry(deps: RunHookDeps, record: Deployment, signal: AbortSignal): Promise<void> {
  let leased = false;
  try {
    const registry = await deps.settings.registryAccess(record.serverId, record.app);
    if (!record.image || !registry) throw new BerthError('REGISTRY_ERROR', `The registry of ${record.app} was removed before #${record.seq} could be pushed.`);
    const link = await deps.links.acquire(record.serverId);
    leased = true;
    const result = await pushOne(deps, link.docker, registry, record, signal);
    if (result.state !== 'pushed' || signal.aborted) return;
    const onServer = new Set((await link.docker.listImages().catch(() => [])).map((i) => i.Id));
    for (const earlier of deps.store.list(record.serverId, { app: record.app })) {
      if (signal.aborted) return;
      if (earlier.push?.state !== 'failed' || earlier.id === record.id || !earlier.image || !onServer.has(earlier.image.id)) continue;
      await pushOne(deps, link.docker, registry, earlier, signal, { attempts: 1 });
    }
  } catch (error) {
    // the push never started (no registry access, no link): the record must not stay "pushing"
    const current = deps.store.find(record.serverId, record.id);
    if (current?.push?.state === 'pushing') {
      const saved = deps.store.save({ ...current, push: { ...current.push, state: 'failed', at: new Date().toISOString(), error: toEnvelope(error) } });
      deps.bus.emit('deployments.changed', summaryOf(saved));
    }
  } finally {
    if (leased) deps.links.release(record.serverId);
  }
}

/**
 * One release's push, retried with backoff, its state saved on the record as it goes and a notification when it
 * still fails: how every push Berth makes is recorded (after a deploy, and for kept releases once a registry is set).
 */
export async function pushOne(deps: RunHookDeps, docker: Docker, registry: RegistryAccess, record: Deployment, signal: AbortSignal, options: { attempts?: number } = {}): Promise<RegistryPush> {
  const image = record.image;
  if (!image) throw new BerthError('IMAGE_GONE', `#${record.seq} has no image to push.`);
  const log = new DeploymentLog(record.logPath, { serverId: record.serverId, deploymentId: record.id, bus: deps.bus });
  try {
    const result = await pushWithRetries({
      docker,
      registry,
      record: { app: record.app, seq: record.seq, image },
      signal,
      ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
      log: (stream, text) => log.lines(stream, text),
      report: (push, digest) => {
        const current = deps.store.find(record.serverId, record.id);
        if (current?.image?.id !== image.id) return;
        const saved = deps.store.save({ ...current, push, ...(digest ? { image: { ...current.image, digest } } : {}) });
        deps.bus.emit('deployments.changed', summaryOf(saved));
        if (digest) deps.locator.pushed(record.serverId, digest);
      },
    });
    if (result.state === 'failed' && result.error?.code !== 'CANCELLED') {
      const message = `${result.error?.message ?? 'The push failed.'} A rollback to #${record.seq} needs its image on the server until a push works; the next deploy tries again.`;
      deps.bus.emit('notifications.pushFailed', { serverId: record.serverId, app: record.app, deploymentId: record.id, seq: record.seq, message });
    }
    return result;
  } finally {
    await log.close();
  }
}

async function saveToCache(deps: RunHookDeps, record: Deployment, signal: AbortSignal): Promise<void> {
  const image = record.image;
  if (!image) return;
  const log = new DeploymentLog(record.logPath, { serverId: record.serverId, deploymentId: record.id, bus: deps.bus });
  const link = await deps.links.acquire(record.serverId);
  try {
    await deps.cache.save(link.docker, record.serverId, record.app, image.id, { signal });
    log.info(`Saved ${image.tag} in this computer's image cache`);
  } catch (error) {
    log.lines('err', `Saving the image to this computer's cache failed: ${toEnvelope(error).message}`);
  } finally {
    deps.links.release(record.serverId);
    await log.close();
  }
}
