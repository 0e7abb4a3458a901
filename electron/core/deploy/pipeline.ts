import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment, DeploymentStatus, DeploymentSummary, ProbeLine, RuntimeKind } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import { BerthError, toEnvelope, type ErrorEnvelope } from '../../../shared/errors';
import { openEnv } from '../apps/app-store';
import { openSourceCredentials } from '../apps/git-credentials';
import type { EventBus } from '../events/event-bus';
import type { BerthPaths } from '../home';
import { DeploymentLog } from '../logs/deployment-log';
import type { ReleaseStore } from '../releases/release-store';
import { prunable } from '../releases/retention';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import type { SecretStore } from '../store/secret-store';
import { runSwarmRelease } from '../swarm/swarm-release';
import type { DeploymentHooks, Ending, HookContext } from './deployment-hooks';
import type { CheckedArchive } from '../archive/archive-scan';
import { prepareImage } from './prepare-image';
import type { ReleaseOutcome, ReleaseRun } from './release-run';
import { runStandaloneRelease } from './standalone-release';
import { ownerLabel } from './owner';
import { transition, type TransitionPatch } from './state-machine';

export type ServerLookup = (serverId: string) => Promise<Server>;

export interface PipelineDeps {
  store: ReleaseStore;
  links: LinkProvider;
  servers: ServerLookup;
  bus: EventBus;
  secrets: SecretStore;
  now?: () => Date;
  hooks?: DeploymentHooks;
  /** The checked archive a queued deployment builds from, let go once it is built. */
  archives?: { archiveOf(deploymentId: string): CheckedArchive | undefined; release(deploymentId: string): Promise<void> };
  /** Where this computer keeps per-app caches (a git source fetched here); the OS temp folder without it. */
  paths?: BerthPaths;
}

export function summaryOf(d: Deployment): DeploymentSummary {
  return { id: d.id, serverId: d.serverId, app: d.app, seq: d.seq, kind: d.kind, status: d.status, title: d.title, error: d.error, finishedAt: d.finishedAt };
}

/** Plain Docker or Swarm: a Swarm manager runs apps as services. */
export async function detectRuntime(link: ServerLink): Promise<RuntimeKind> {
  const info = (await link.docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  return info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable ? 'swarm' : 'standalone';
}

/** Runs a release through the runtime's zero-downtime switch: the one entry point for deploys and rollbacks. */
export function runRelease(runtime: RuntimeKind, run: ReleaseRun): Promise<ReleaseOutcome> {
  return runtime === 'swarm' ? runSwarmRelease(run) : runStandaloneRelease(run);
}

/**
 * Carries one deployment from queued to its end. Every status is written (and announced) before the work of that
 * phase starts, so a record never claims less than what happened; whatever goes wrong ends in failed or cancelled
 * with the reason, and the live version is never touched before the new one is healthy.
 */
export async function runDeployment(deps: PipelineDeps, serverId: string, id: string, signal: AbortSignal): Promise<Deployment> {
  const now = deps.now ?? (() => new Date());
  let record = deps.store.get(serverId, id);
  const log = new DeploymentLog(record.logPath, { serverId, deploymentId: id, bus: deps.bus });
  const save = (next: Deployment): void => {
    record = deps.store.save(next);
    deps.bus.emit('deployments.changed', summaryOf(record));
  };
  const move = (to: DeploymentStatus, patch?: TransitionPatch): void => save(transition(record, to, now(), patch));
  let link: ServerLink | undefined;
  let runtime: RuntimeKind = 'standalone';
  let unlock: (() => Promise<void>) | undefined;
  const probes: ProbeLine[] = [];
  const drops = watchDrops(deps.bus, serverId);
  const hookContext = (): HookContext | undefined => (link ? { record, link, runtime, log, signal } : undefined);
  try {
    if (signal.aborted) throw new BerthError('CANCELLED', 'Cancelled before it started.');
    log.info(`Deployment #${record.seq} of ${record.app} (${record.kind}) on ${serverId}`);
    link = await acquireWithRetry(deps.links, serverId, signal, log);
    const server = await deps.servers(serverId);
    runtime = await detectRuntime(link);
    save({ ...record, runtime });
    unlock = await deps.hooks?.begin?.({ record, link, runtime, log, signal });
    const env = await openEnv(record.config.env, deps.secrets);
    log.mask(env.secretValues);

    if (record.kind === 'deploy') {
      move('building');
      const build = record.build ?? { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false };
      const runtime = { httpPort: record.config.httpPort, command: record.config.command };
      const source = record.source.source;
      const gitCredentials = source.kind === 'git' ? await openSourceCredentials(source, deps.secrets) : null;
      const archive = deps.archives?.archiveOf(id);
      const localCache = join(deps.paths?.serverDir(serverId) ?? join(tmpdir(), 'berth', serverId), 'git', record.app);
      const request = { app: record.app, seq: record.seq, deploymentId: id, source, build, gitCredentials, runtime, archive, localCache };
      const prepared = await prepareImage(link, request, log, signal);
      if (archive) await deps.archives?.release(id);
      const title = prepared.commit && record.title === '' ? (prepared.commit.message.split('\n')[0] ?? '') : record.title;
      const description = prepared.commit && record.description === '' ? `${prepared.commit.message}\n\n${prepared.commit.hash}` : record.description;
      save({ ...record, image: prepared.image, source: { ...record.source, commit: prepared.commit }, title, description, ...(prepared.plan ? { buildPlan: prepared.plan } : {}) });
      log.info(`Image ${prepared.image.tag} = ${prepared.image.id}${prepared.image.digest ? ` (${prepared.image.digest})` : ''}`);
    } else if (deps.hooks?.prepare) {
      save({ ...record, image: await deps.hooks.prepare({ record, link, runtime, log, signal }) });
    }
    const image = record.image;
    if (!image) throw new BerthError('IMAGE_GONE', 'This deployment has no image to run.');
    if (signal.aborted) throw new BerthError('CANCELLED', 'Cancelled after the build.');

    const outcome = await runRelease(runtime, {
      link,
      proxy: server.proxy,
      deploymentId: id,
      app: record.app,
      seq: record.seq,
      commit: record.source.commit?.hash ?? null,
      owner: ownerLabel(record.owner),
      image,
      config: record.config,
      env: env.pairs,
      log,
      signal,
      phase: async (status) => move(status),
      probed: (result) => {
        probes.push({ at: now().toISOString(), ok: result.ok, detail: result.detail });
        if (probes.length > 50) probes.shift();
      },
      started: async (placement) => save({ ...record, slot: placement.slot, containers: placement.containers }),
    });

    stepDown(deps, record, now());
    save({ ...transition(record, 'live', now()), slot: outcome.slot, containers: outcome.containers, switch: outcome.switch, ...deps.hooks?.goingLive?.(record) });
    log.info(`Live: ${record.app} #${record.seq}`);
    notify(deps.bus, 'notifications.deploymentSucceeded', record, `${record.app} #${record.seq} is live.`);
    await outcome.retire().catch((error: unknown) => log.lines('err', `Retiring the previous version: ${toEnvelope(error).message}`));
    applyRetention(deps, record);
    await deps.hooks?.live?.({ record, link, runtime, log, signal }).catch((error: unknown) => log.lines('err', toEnvelope(error).message));
  } catch (error) {
    const aborted = signal.aborted ? toEnvelope(signal.reason) : null;
    const reason: ErrorEnvelope = aborted && (aborted.code === 'CANCELLED' || aborted.code === 'INTERRUPTED') ? aborted : await drops.explain(toEnvelope(error), record.status);
    const cancelled = reason.code === 'CANCELLED';
    log.lines('err', reason.message);
    if (record.status === 'live') throw error;
    const ending = cancelled || reason.code === 'INTERRUPTED' ? undefined : await endingOf(deps, hookContext(), reason, probes);
    move(cancelled ? 'cancelled' : reason.code === 'INTERRUPTED' ? 'interrupted' : (ending?.status ?? 'failed'), { error: reason });
    if (ending?.patch) save({ ...record, ...ending.patch });
    if (record.status === 'failed' || record.status === 'rolled-back') {
      if (reason.code === 'HEALTH_CHECK_FAILED') notify(deps.bus, 'notifications.healthCheckFailed', record, reason.message);
      deps.bus.emit('notifications.deploymentFailed', { ...noticeOf(record, `${record.app} #${record.seq} failed: ${reason.message}`), error: reason });
    }
  } finally {
    drops.stop();
    await unlock?.().catch((error: unknown) => log.lines('err', toEnvelope(error).message));
    await log.close();
    if (link) deps.links.release(serverId);
  }
  return record;
}

const TRANSIENT: ReadonlySet<string> = new Set(['SSH_DISCONNECTED', 'CONNECTION_REFUSED', 'CONNECT_TIMEOUT']);
/** Long enough for the pool to report a connection that closed under a failing Docker call. */
const DROP_SETTLE_MS = 250;

/**
 * Watches the server's connection during a run. A Docker call that breaks because the SSH link dropped fails with
 * whatever the stream says ("socket hang up", a truncated build): the run's error then names the dropped link, so
 * the user (and the CLI's exit code) sees a connection problem, not a failed build.
 */
function watchDrops(bus: EventBus, serverId: string): { explain(reason: ErrorEnvelope, phase: DeploymentStatus): Promise<ErrorEnvelope>; stop(): void } {
  let connected = false;
  let dropped = false;
  const stop = bus.on('servers.status', (status) => {
    if (status.serverId !== serverId) return;
    if (status.state === 'connected') connected = true;
    else if (connected) dropped = true;
  });
  return {
    stop,
    async explain(reason, phase) {
      // a build on the server runs in an exec channel, which fails with the drop itself: name the phase all the same
      if (reason.code === 'SSH_DISCONNECTED') return { ...reason, message: droppedWhile(serverId, phase, reason.message) };
      if (TRANSIENT.has(reason.code)) return reason;
      if (!dropped) await new Promise((resolve) => setTimeout(resolve, DROP_SETTLE_MS));
      if (!dropped) return reason;
      return { code: 'SSH_DISCONNECTED', message: droppedWhile(serverId, phase, reason.message), details: { cause: reason.code } };
    },
  };
}

function droppedWhile(serverId: string, phase: DeploymentStatus, why: string): string {
  return `The SSH connection to ${serverId} dropped while this deployment was ${phase} (${why.replace(/\.$/, '')}). The live version was not touched; deploy again once the server answers.`;
}

/** A server that just dropped its connection gets a few seconds to come back before the deployment fails. */
async function acquireWithRetry(links: LinkProvider, serverId: string, signal: AbortSignal, log: DeploymentLog): Promise<ServerLink> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await links.acquire(serverId);
    } catch (error) {
      const code = toEnvelope(error).code;
      if (attempt >= 4 || !TRANSIENT.has(code) || signal.aborted) throw error;
      log.info(`${serverId} is not reachable (${code}); trying again in ${attempt * 2} s`);
      await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
    }
  }
}

/** Failed, unless a hook says the release before it kept (or again took) the traffic. */
async function endingOf(deps: PipelineDeps, ctx: HookContext | undefined, reason: ErrorEnvelope, probes: ProbeLine[]): Promise<Ending | undefined> {
  if (!ctx || !deps.hooks?.ending) return undefined;
  const ending = await deps.hooks.ending(ctx, reason, probes).catch(() => undefined);
  // only a release that reached its health check can have been rolled back
  return ending?.status === 'rolled-back' && ctx.record.status !== 'health-checking' ? { status: 'failed' } : ending;
}

/**
 * The release that served until now steps down: rolled back when the watch window marked it as failing (the
 * automatic revert), superseded otherwise, a manual rollback included, since it was healthy.
 */
function stepDown(deps: PipelineDeps, next: Deployment, at: Date): void {
  for (const previous of deps.store.list(next.serverId, { app: next.app })) {
    if (previous.status !== 'live' || previous.id === next.id) continue;
    const stepped = { ...transition(previous, previous.autoRollback ? 'rolled-back' : 'superseded', at), supersededBy: next.id };
    deps.store.save(stepped);
    deps.bus.emit('deployments.changed', summaryOf(stepped));
  }
}

function applyRetention(deps: PipelineDeps, record: Deployment): void {
  for (const id of prunable(deps.store.list(record.serverId, { app: record.app }), record.retention, new Date())) {
    deps.store.remove(record.serverId, id);
  }
}

function noticeOf(d: Deployment, message: string) {
  return { serverId: d.serverId, app: d.app, deploymentId: d.id, seq: d.seq, message };
}

function notify(
  bus: EventBus,
  topic: 'notifications.deploymentSucceeded' | 'notifications.healthCheckFailed' | 'notifications.appDown',
  d: Deployment,
  message: string,
): void {
  bus.emit(topic, noticeOf(d, message));
}
