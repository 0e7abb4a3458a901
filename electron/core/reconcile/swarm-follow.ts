import type Docker from 'dockerode';
import type { Deployment } from '../../../shared/api/deployments';
import { abortableSleep } from '../deploy/health-probe';
import { readServiceFact, type ServerFacts } from './server-facts';
import { judgeStale, type StaleVerdict } from './verdicts';

const POLL_MS = 500;
/** Swarm's own monitor and rollback settle well within this; past it the record says it could not tell. */
const FOLLOW_LIMIT_MS = 180_000;

/**
 * Follows a Swarm update that was still converging when the Berth that started it went away, until Swarm has
 * decided (completed, rolled back, paused), so the record ends as what the update became.
 */
export async function followSwarmUpdate(docker: Docker, d: Deployment, signal: AbortSignal, limitMs = FOLLOW_LIMIT_MS): Promise<StaleVerdict> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const service = await readServiceFact(docker, d.app);
    const facts: ServerFacts = { runtime: 'swarm', containers: [], routes: null, services: service ? [service] : [], strangers: [] };
    const verdict = judgeStale(d, facts, undefined);
    if (verdict.kind !== 'follow') return verdict;
    if (Date.now() > deadline) {
      return { kind: 'interrupted', reason: `Berth stopped while this deployment was ${d.status}, and Swarm had not finished its update ${Math.round(limitMs / 1000)} s later.`, remove: [], restart: [] };
    }
    await abortableSleep(POLL_MS, signal);
  }
}
