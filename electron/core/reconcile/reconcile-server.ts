import type { Deployment, DriftItem, ReconcileReport } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import type { EventBus } from '../events/event-bus';
import { ownedByOtherLiveProcess } from '../deploy/owner';
import { summaryOf } from '../deploy/pipeline';
import type { DeployQueue } from '../deploy/queue';
import { IN_PROGRESS_STATUSES, isInProgress, transition } from '../deploy/state-machine';
import type { ReleaseStore } from '../releases/release-store';
import type { ServerLink } from '../ssh/server-link';
import { driftItem, restartContainers, retireContainers, settle, stepDownOthers, type SaveRecord } from './apply-verdicts';
import { readServerFacts, type ServerFacts } from './server-facts';
import { followSwarmUpdate } from './swarm-follow';
import { judgeLive, judgeStale, replacedNote, servesAfterAll, type StaleVerdict } from './verdicts';

export interface ReconcileDeps {
  store: ReleaseStore;
  bus: EventBus;
  queue: DeployQueue;
  now?: () => Date;
}

/** One pass over one server with its link held; `signal` aborts when the engine closes, leaving records as they are. */
export interface ReconcileRun {
  serverId: string;
  server: Server;
  link: ServerLink;
  signal: AbortSignal;
}

/**
 * Compares one server's records with what runs there (by labels) and brings the records in line with the truth:
 * deployments no process runs any more end as what they became (live, decided by Swarm, or interrupted with what
 * they left removed); a live record another Berth replaced steps down; drift is reported. Returns null, having
 * changed nothing more, when the engine closes meanwhile.
 */
export async function reconcileServer(deps: ReconcileDeps, run: ReconcileRun): Promise<ReconcileReport | null> {
  const now = deps.now ?? (() => new Date());
  const save: SaveRecord = (next) => {
    const saved = deps.store.save(next);
    deps.bus.emit('deployments.changed', summaryOf(saved));
    return saved;
  };
  const items: DriftItem[] = [];
  const facts = await readServerFacts(run.link);
  if (run.signal.aborted) return null;

  for (const d of deps.store.withStatus(run.serverId, IN_PROGRESS_STATUSES).filter((r) => isStale(deps, r))) {
    const previousLive = deps.store.live(run.serverId, d.app);
    let verdict = judgeStale(d, facts, previousLive);
    if (verdict.kind === 'follow') verdict = await followSwarmUpdate(run.link.docker, d, run.signal);
    if (run.signal.aborted) return null;
    items.push(...(await applyStale(deps, run, facts, d, verdict, save, now())));
  }
  for (const d of deps.store.withStatus(run.serverId, ['interrupted']).filter((r) => servesAfterAll(r, facts))) {
    items.push(...(await recoverLive(deps, run, facts, d, 'It was found serving after all; recorded live on reconciliation.', save, now())));
  }
  items.push(...checkLive(deps, run, facts, save, now()));
  items.push(...strangers(deps, run.serverId, facts));
  return report(deps, run.serverId, items, now());
}

/** Marks what was left in progress interrupted, without looking: the server could not be reached to check. */
export function markUnreachable(deps: ReconcileDeps, serverId: string, why: string): ReconcileReport {
  const now = (deps.now ?? (() => new Date()))();
  const items = deps.store
    .list(serverId)
    .filter((d) => isStale(deps, d))
    .map((d) => {
      const message = `Berth stopped while this deployment was ${d.status}; ${serverId} could not be reached to check what it left (${why}).`;
      const next = deps.store.save(transition(d, 'interrupted', now, { error: { code: 'INTERRUPTED', message } }));
      deps.bus.emit('deployments.changed', summaryOf(next));
      return driftItem('interrupted', d, message);
    });
  return report(deps, serverId, items, now);
}

/** In progress, yet run by no live process: not by this engine's queue, nor by another Berth sharing the home. */
export function isStale(deps: Pick<ReconcileDeps, 'queue'>, d: Deployment): boolean {
  return isInProgress(d.status) && !deps.queue.isQueued(d.id) && !ownedByOtherLiveProcess(d.owner);
}

async function applyStale(deps: ReconcileDeps, run: ReconcileRun, facts: ServerFacts, d: Deployment, verdict: StaleVerdict, save: SaveRecord, at: Date): Promise<DriftItem[]> {
  switch (verdict.kind) {
    case 'live':
      return recoverLive(deps, run, facts, d, verdict.note, save, at);
    case 'failed':
    case 'rolled-back': {
      const code = /unhealthy|health/i.test(verdict.reason) ? 'HEALTH_CHECK_FAILED' : 'START_FAILED';
      const revertedTo = deps.store.live(run.serverId, d.app)?.id ?? null;
      const autoRollback = verdict.kind === 'rolled-back' ? { at: at.toISOString(), by: 'swarm' as const, phase: 'switch' as const, reason: verdict.reason, revertedTo, rollbackId: null, probes: [] } : undefined;
      save({ ...settle(d, verdict.kind, at, { error: { code, message: verdict.reason } }), ...(autoRollback ? { autoRollback } : {}) });
      return [driftItem('settled', d, `${verdict.reason} Recorded ${verdict.kind} on reconciliation.`)];
    }
    case 'interrupted': {
      const items: DriftItem[] = [];
      for (const c of verdict.remove) {
        await run.link.docker.getContainer(c.id).remove({ force: true }).catch(() => undefined);
        items.push(driftItem('cleaned-up', d, `Removed ${c.name}, left by the interrupted deployment.`, c.id));
      }
      await restartContainers(run.link, run.server, d.app, verdict.restart, d.config.httpPort !== null).catch(() => undefined);
      save(settle(d, 'interrupted', at, { error: { code: 'INTERRUPTED', message: verdict.reason } }));
      items.push(driftItem('interrupted', d, verdict.reason));
      return items;
    }
    case 'follow':
      return [];
  }
}

async function recoverLive(deps: ReconcileDeps, run: ReconcileRun, facts: ServerFacts, d: Deployment, note: string, save: SaveRecord, at: Date): Promise<DriftItem[]> {
  const stepped = stepDownOthers(deps.store.list(run.serverId, { app: d.app }), d, at, save);
  save(settle(d, 'live', at, { note, error: null }));
  const items = [driftItem('recovered', d, note)];
  if (facts.runtime === 'standalone') {
    const old = facts.containers.filter((c) => stepped.some((s) => s.id === c.deployment));
    await retireContainers(run.link, run.server, d.app, old, d.config.httpPort !== null).catch((error: unknown) => {
      items.push(driftItem('cleaned-up', d, `The previous version's containers could not be retired: ${(error as Error).message}`));
    });
  }
  return items;
}

function checkLive(deps: ReconcileDeps, run: ReconcileRun, facts: ServerFacts, save: SaveRecord, at: Date): DriftItem[] {
  const known = deps.store.ids(run.serverId);
  const items: DriftItem[] = [];
  for (const d of deps.store.withStatus(run.serverId, ['live'])) {
    const verdict = judgeLive(d, facts, run.serverId);
    if (verdict.kind === 'serving') continue;
    if (verdict.kind === 'gone') {
      items.push({ kind: 'live-gone', app: d.app, deploymentId: d.id, containerId: null, message: verdict.message });
      deps.bus.emit('notifications.appDown', { serverId: run.serverId, app: d.app, deploymentId: d.id, seq: d.seq, message: verdict.message });
      continue;
    }
    // a deployment this home knows is run by a Berth here, which steps the old record down itself
    if (known.has(verdict.by)) continue;
    const note = replacedNote(verdict.owner, verdict.by);
    save({ ...transition(d, 'superseded', at, { note }), supersededBy: verdict.by });
    items.push(driftItem('replaced', d, note));
  }
  return items;
}

function strangers(deps: ReconcileDeps, serverId: string, facts: ServerFacts): DriftItem[] {
  const known = deps.store.ids(serverId);
  const items: DriftItem[] = [];
  for (const c of facts.containers.filter((c) => c.running && !known.has(c.deployment))) {
    const from = c.owner ? ` made by ${c.owner}` : '';
    items.push({ kind: 'unknown-container', app: c.app || null, deploymentId: c.deployment || null, containerId: c.id, message: `${c.name} runs ${c.app || 'an app'} from a deployment this computer has no record of (${c.deployment || 'no id'}${from}).` });
  }
  for (const c of facts.strangers) {
    items.push({ kind: 'unknown-container', app: null, deploymentId: null, containerId: c.id, message: `${c.name} is on the berth network but Berth did not start it.` });
  }
  return items;
}

function report(deps: ReconcileDeps, serverId: string, items: DriftItem[], at: Date): ReconcileReport {
  const out = { serverId, at: at.toISOString(), items };
  deps.bus.emit('deployments.drift', out);
  return out;
}
