import type { Deployment } from '../../shared/api/deployments';
import { BerthError } from '../../shared/errors';
import { findDeployment } from './resolve';

/** A release that once served traffic and still names its image: something a rollback can run again. */
export function wasReleased(d: Deployment): boolean {
  return d.timestamps.live !== undefined && d.image !== null;
}

/**
 * The default rollback target, as Clank picks it: the latest release that went live before the live one, skipping
 * any that runs the very image already live (rolling back to it would change nothing).
 */
export function defaultRollbackTarget(deployments: readonly Deployment[]): Deployment | undefined {
  const live = deployments.find((d) => d.status === 'live');
  return [...deployments]
    .sort((a, b) => b.seq - a.seq)
    .find((d) => d.id !== live?.id && wasReleased(d) && (!live || (d.seq < live.seq && d.image?.id !== live.image?.id)));
}

/** Picks the target a `berth rollback` runs, or says why there is none. */
export function chooseRollbackTarget(deployments: readonly Deployment[], app: string, to: string | undefined): Deployment {
  if (to !== undefined) return findDeployment(deployments, app, to);
  const target = defaultRollbackTarget(deployments);
  if (!target) {
    throw new BerthError('NOT_ROLLBACK_CAPABLE', `${app} has no earlier release to roll back to: none before the live one ever went live.`);
  }
  return target;
}
