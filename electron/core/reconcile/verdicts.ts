import type { Deployment } from '../../../shared/api/deployments';
import { backendName } from '../proxy/haproxy-config';
import { slotServerName } from '../proxy/proxy-model';
import type { ContainerFact, ServerFacts, ServiceFact } from './server-facts';

/**
 * What a record left in progress by a process that is gone turned out to be, judged from what runs on the server:
 * serving (recorded live), still converging in Swarm (followed to its end), decided by Swarm, or interrupted with
 * what it left behind to remove (and, for a stop-first run, the previous version to start again).
 */
export type StaleVerdict =
  | { kind: 'live'; note: string }
  | { kind: 'follow' }
  | { kind: 'failed' | 'rolled-back'; reason: string }
  | { kind: 'interrupted'; reason: string; remove: ContainerFact[]; restart: ContainerFact[] };

/** What a record that says live turned out to be: still serving, replaced by another deployment, or gone. */
export type LiveVerdict =
  | { kind: 'serving' }
  | { kind: 'replaced'; by: string; owner: string }
  | { kind: 'gone'; message: string };

const RECOVERED_NOTE = 'Traffic had already moved to it when Berth stopped; recorded live on reconciliation.';

export function judgeStale(d: Deployment, facts: ServerFacts, previousLive: Deployment | undefined): StaleVerdict {
  return facts.runtime === 'swarm' ? judgeStaleService(d, facts.services.find((s) => s.app === d.app)) : judgeStaleContainers(d, facts, previousLive);
}

function judgeStaleContainers(d: Deployment, facts: ServerFacts, previousLive: Deployment | undefined): StaleVerdict {
  const mine = facts.containers.filter((c) => c.deployment === d.id);
  if (servesStandalone(d, facts)) return { kind: 'live', note: RECOVERED_NOTE };
  const restart = d.config.published.length > 0 && previousLive ? facts.containers.filter((c) => c.deployment === previousLive.id && c.stopped) : [];
  const what = mine.length > 0 ? 'what it had started was removed' : 'it had started nothing on the server';
  const again = restart.length > 0 ? '; the previous version, stopped to free its ports, was started again' : '';
  return { kind: 'interrupted', reason: `Berth stopped while this deployment was ${d.status}; ${what}${again}. The previous live version was not touched.`, remove: mine, restart };
}

/**
 * Standalone: its containers run and traffic reaches them. Routed apps must have one of its slot's servers ready in
 * the proxy; an app off the proxy counts as serving only when no other release of it runs beside it.
 */
export function servesStandalone(d: Deployment, facts: ServerFacts): boolean {
  const running = facts.containers.filter((c) => c.deployment === d.id && c.running);
  if (running.length === 0) return false;
  if (d.config.httpPort === null) {
    return !facts.containers.some((c) => c.app === d.app && c.running && c.deployment !== d.id);
  }
  if (facts.routes === null) return false;
  return running.some((c) => facts.routes?.some((r) => r.backend === backendName(d.app) && r.server === slotServerName(c.slot, c.replica) && r.state === 'ready'));
}

function judgeStaleService(d: Deployment, service: ServiceFact | undefined): StaleVerdict {
  const nothing = (why: string): StaleVerdict => ({ kind: 'interrupted', reason: `Berth stopped while this deployment was ${d.status}; ${why}. The previous live version was not touched.`, remove: [], restart: [] });
  if (!service) return nothing('its service does not exist on the server');
  if (service.deployment === d.id) {
    switch (service.updateState) {
      case undefined:
        if (service.runningTasks >= service.replicas) return { kind: 'live', note: 'Swarm had started its tasks when Berth stopped; recorded live on reconciliation.' };
        if (service.failedTasks > 0 && service.runningTasks === 0) return { kind: 'failed', reason: 'Its tasks failed to start in Swarm.' };
        return { kind: 'follow' };
      case 'completed':
        return { kind: 'live', note: 'Swarm finished the update after Berth stopped; recorded live on reconciliation.' };
      case 'paused':
      case 'rollback_paused':
        return { kind: 'failed', reason: `Swarm paused the update: ${service.updateMessage || 'no reason given'}.` };
      default:
        return { kind: 'follow' };
    }
  }
  // once Swarm rolled an update back the spec before it is current again and PreviousSpec is empty; the failed
  // update's tasks stay in the task history
  const tried = service.previousDeployment === d.id || service.taskDeployments.includes(d.id);
  if (tried && service.updateState?.startsWith('rollback')) {
    if (service.updateState === 'rollback_started') return { kind: 'follow' };
    const reason = `Swarm rolled the service back to the previous version, which keeps serving: ${service.updateMessage || 'the new tasks failed'}.`;
    return d.status === 'health-checking' ? { kind: 'rolled-back', reason } : { kind: 'failed', reason };
  }
  return nothing(tried ? 'another deployment replaced it before it was checked' : 'Swarm never received it');
}

/** A record marked interrupted earlier (say, while its server could not be reached) that is serving after all. */
export function servesAfterAll(d: Deployment, facts: ServerFacts): boolean {
  if (facts.runtime === 'swarm') {
    const service = facts.services.find((s) => s.app === d.app);
    return service?.deployment === d.id && (service.updateState === 'completed' || (service.updateState === undefined && service.runningTasks >= service.replicas));
  }
  return servesStandalone(d, facts);
}

/**
 * A live record against the server. Another deployment's containers or service in its place means another Berth
 * (another laptop, another home) replaced it: labels say which deployment runs and who made it.
 */
export function judgeLive(d: Deployment, facts: ServerFacts, serverId: string): LiveVerdict {
  if (facts.runtime === 'swarm') {
    const service = facts.services.find((s) => s.app === d.app);
    if (!service) return { kind: 'gone', message: `${d.app} #${d.seq} is recorded live, but its service does not exist on ${serverId}.` };
    if (service.deployment === d.id || service.deployment === '') return { kind: 'serving' };
    return { kind: 'replaced', by: service.deployment, owner: service.owner };
  }
  const routed = d.config.httpPort !== null && facts.routes !== null;
  const mine = facts.containers.filter((c) => c.deployment === d.id && c.running);
  const others = facts.containers.filter((c) => c.app === d.app && c.running && c.deployment !== '' && c.deployment !== d.id);
  // a replaced release's containers still run while the other Berth drains and stops them: traffic says who serves
  if (mine.length > 0 && (!routed || mine.some((c) => routedReady(d.app, c, facts)))) return { kind: 'serving' };
  const by = (routed ? others.filter((c) => routedReady(d.app, c, facts)) : mine.length > 0 ? [] : others)[0];
  if (by) return { kind: 'replaced', by: by.deployment, owner: by.owner };
  if (mine.length > 0) return { kind: 'serving' };
  return { kind: 'gone', message: `${d.app} #${d.seq} is recorded live, but none of its containers runs on ${serverId}.` };
}

function routedReady(app: string, c: ContainerFact, facts: ServerFacts): boolean {
  return facts.routes?.some((r) => r.backend === backendName(app) && r.server === slotServerName(c.slot, c.replica) && r.state === 'ready') ?? false;
}

/** The words a record that stepped down for another Berth's deployment carries. */
export function replacedNote(owner: string, by: string): string {
  return `Replaced by a deployment from ${owner || 'another Berth'} (${by}).`;
}
