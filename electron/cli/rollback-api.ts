import type { Deployment } from '../../shared/api/deployments';
import type { RollbackMode, RollbackPlan } from '../../shared/api/rollback';
import type { CliContext } from './context';

export interface RollbackRequest {
  serverId: string;
  app: string;
  /** The deployment whose release runs again. */
  target: Deployment;
  mode: RollbackMode;
}

function inputOf(request: RollbackRequest) {
  return { serverId: request.serverId, app: request.app, target: request.target.id, mode: request.mode };
}

/** What the rollback would change and whether it can run at all (the engine checks the image live). */
export function planRollback(ctx: CliContext, request: RollbackRequest): Promise<RollbackPlan> {
  return ctx.call('deployments.rollbackPlan', inputOf(request));
}

/** Starts the rollback (or redeploy); resolves with its new deployment, queued. Refused before anything changes. */
export function startRollback(ctx: CliContext, request: RollbackRequest): Promise<Deployment> {
  return ctx.call('deployments.rollback', inputOf(request));
}
