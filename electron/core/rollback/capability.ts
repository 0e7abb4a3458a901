import type { Deployment } from '../../../shared/api/deployments';
import type { RollbackPoint } from '../../../shared/api/rollback';
import { isInProgress } from '../deploy/state-machine';
import type { Located } from './image-locator';
import { wentLive } from './image-retention';

/** What was found about one release's image. */
export interface ImageFacts {
  onServer: boolean;
  /** Where else it is, when not on the server. */
  located: Located | null;
}

const REDEPLOY_ADVICE = 'Redeploy from source instead: a new deploy of the same commit builds it again.';

/**
 * Whether a release can be rolled back to, from what was found about its image: it must have gone live once, and
 * its image must be on the server or obtainable (registry, another server, this computer's cache). The reason says
 * where the image comes from, or why not and what to do.
 */
export function capabilityOf(d: Deployment, facts: ImageFacts): RollbackPoint {
  const base = { deploymentId: d.id, seq: d.seq, status: d.status, pinned: d.pinned === true, live: d.status === 'live', onServer: facts.onServer, fromServerId: null };
  const no = (code: 'IMAGE_GONE' | 'NOT_ROLLBACK_CAPABLE', reason: string): RollbackPoint => ({ ...base, capable: false, via: null, code, reason });
  if (isInProgress(d.status)) return no('NOT_ROLLBACK_CAPABLE', `#${d.seq} is still ${d.status}: it is not a release yet.`);
  if (!d.image) return no('NOT_ROLLBACK_CAPABLE', `#${d.seq} has no image: it stopped before its build finished.`);
  if (!wentLive(d)) {
    const why = d.status === 'rolled-back' ? 'it failed its health check and never served traffic' : 'it never went live';
    return no('NOT_ROLLBACK_CAPABLE', `#${d.seq} cannot be rolled back to: ${why}.`);
  }
  const short = d.image.id.slice(7, 19);
  if (facts.onServer) return { ...base, capable: true, via: 'server', code: null, reason: `Image ${short} is on the server.` };
  if (d.imageRemoved?.by === 'user') {
    return no('IMAGE_GONE', `The rollback point #${d.seq} was deleted by hand on ${d.imageRemoved.at.slice(0, 10)}. ${REDEPLOY_ADVICE}`);
  }
  const located = facts.located;
  if (located) {
    return {
      ...base,
      capable: true,
      via: located.via,
      fromServerId: located.via === 'other-server' ? located.fromServerId : null,
      code: null,
      reason: `Image ${short}: ${located.detail}`,
    };
  }
  const removed = d.imageRemoved ? ` It was removed from the server on ${d.imageRemoved.at.slice(0, 10)} (${d.imageRemoved.by === 'retention' ? 'retention' : 'by hand'})` : ' It is no longer on the server';
  return no('IMAGE_GONE', `Image ${short} of #${d.seq} cannot be found.${removed}, and no registry, other server or cache on this computer has it. ${REDEPLOY_ADVICE}`);
}

/**
 * The record as a history view shows it: with its rollback capability when it was checked. The live release and a
 * deployment still running carry none: "can I go back to it" is not a question for them (shown neutral, not ✗).
 */
export function withCapability(d: Deployment, point: RollbackPoint | undefined): Deployment {
  if (!point || d.status === 'live' || isInProgress(d.status)) return d;
  return { ...d, rollbackCapable: point.capable, rollbackReason: point.reason, ...(point.via ? { rollbackVia: point.via } : {}) };
}
