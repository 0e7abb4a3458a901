import { z } from 'zod';
import { Deployment } from '../../shared/api/deployments';
import { BerthError, isBerthError } from '../../shared/errors';
import type { CliContext } from './context';

export type RollbackMode = 'exact' | 'redeploy';

export interface RollbackRequest {
  serverId: string;
  app: string;
  /** The deployment whose release runs again. */
  target: Deployment;
  mode: RollbackMode;
}

/**
 * What the engine's plan may say, read leniently: whether the target can run (its image still exists), why not,
 * and what would change. Fields the engine does not send are simply not shown.
 */
export const EnginePlan = z.looseObject({
  capable: z.boolean().optional(),
  reason: z.string().nullable().optional(),
  warnings: z.array(z.string()).optional(),
});
export type EnginePlan = z.infer<typeof EnginePlan>;

/*
 * The rollback engine's methods are not in the contract yet. They are called here, by the names and input the
 * rollback engine is expected to take, and nowhere else: when they land in shared/api these become typed calls.
 */
const METHODS = { plan: 'deployments.rollbackPlan', rollback: 'deployments.rollback' } as const;

function inputOf(request: RollbackRequest): Record<string, unknown> {
  return { serverId: request.serverId, app: request.app, target: request.target.id, mode: request.mode };
}

/** The engine's plan, or undefined when this engine cannot plan (the caller then relies on the records). */
export async function planRollback(ctx: CliContext, request: RollbackRequest): Promise<EnginePlan | undefined> {
  try {
    return EnginePlan.parse(await ctx.callByName(METHODS.plan, inputOf(request)));
  } catch (error) {
    if (isBerthError(error, 'UNKNOWN_METHOD')) return undefined;
    throw error;
  }
}

/** Starts the rollback (or redeploy) and returns its new deployment, queued. */
export async function startRollback(ctx: CliContext, request: RollbackRequest): Promise<Deployment> {
  try {
    return Deployment.parse(await ctx.callByName(METHODS.rollback, inputOf(request)));
  } catch (error) {
    if (isBerthError(error, 'UNKNOWN_METHOD')) {
      throw new BerthError('UNKNOWN_METHOD', `This Berth engine cannot roll back yet: it has no ${METHODS.rollback} method.`);
    }
    throw error;
  }
}
