import { create } from 'zustand';
import type { Deployment } from '../../../shared/api/deployments';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';
import type { RollbackMode } from '../lib/rollback-plan';

/**
 * The rollback methods this view needs but the contract does not have yet. They are called by name here and only
 * here, so when they land in shared/api these become typed calls in one place. Until then the engine answers
 * UNKNOWN_METHOD and the dialog says so.
 */
export const pendingMethods = {
  plan: 'deployments.rollbackPlan',
  rollback: 'deployments.rollback',
  redeploy: 'deployments.redeploy',
  pin: 'deployments.pin',
  deleteRollbackPoint: 'deployments.deleteRollbackPoint',
} as const;

/** What the engine's plan is expected to add to the one drawn from the records: whether the image still exists. */
export interface EnginePlan {
  capable: boolean;
  reason?: string;
  warnings?: string[];
}

export interface RollbackState {
  plan?: EnginePlan;
  planLoading: boolean;
  busy: boolean;
  error?: ErrorEnvelope;
  loadPlan(serverId: string, app: string, targetId: string, mode: RollbackMode): Promise<void>;
  rollback(serverId: string, app: string, targetId: string, mode: RollbackMode): Promise<Deployment | undefined>;
  redeploy(serverId: string, app: string, targetId: string): Promise<Deployment | undefined>;
  pin(serverId: string, deploymentId: string, pinned: boolean): Promise<boolean>;
  deleteRollbackPoint(serverId: string, deploymentId: string): Promise<boolean>;
  reset(): void;
}

export interface RollbackDeps {
  api: Api;
  /** Called with each deployment a rollback or redeploy started, so the history shows it at once. */
  started?: (d: Deployment) => void;
  /** Called after a pin or delete changed a record, to reload it. */
  changed?: (serverId: string, deploymentId: string) => void;
}

export function createRollbackStore({ api, started, changed }: RollbackDeps) {
  const call = api.call as unknown as (method: string, input: unknown) => Promise<unknown>;
  return create<RollbackState>()((set) => {
    const run = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      set({ busy: true, error: undefined });
      try {
        const value = await work();
        set({ busy: false });
        return value;
      } catch (error) {
        set({ busy: false, error: toError(error) });
        return undefined;
      }
    };

    return {
      planLoading: false,
      busy: false,

      async loadPlan(serverId, app, targetId, mode) {
        set({ planLoading: true, plan: undefined, error: undefined });
        try {
          const plan = (await call(pendingMethods.plan, { serverId, app, deploymentId: targetId, mode })) as EnginePlan;
          set({ plan, planLoading: false });
        } catch (error) {
          const envelope = toError(error);
          // Without the engine's plan the dialog still shows the one drawn from the records.
          set({ planLoading: false, error: envelope.code === 'UNKNOWN_METHOD' ? undefined : envelope });
        }
      },

      rollback: (serverId, app, targetId, mode) =>
        run(async () => {
          const d = (await call(pendingMethods.rollback, { serverId, app, deploymentId: targetId, mode })) as Deployment;
          started?.(d);
          return d;
        }),

      redeploy: (serverId, app, targetId) =>
        run(async () => {
          const d = (await call(pendingMethods.redeploy, { serverId, app, deploymentId: targetId })) as Deployment;
          started?.(d);
          return d;
        }),

      async pin(serverId, deploymentId, pinned) {
        const done = await run(() => call(pendingMethods.pin, { serverId, deploymentId, pinned }));
        if (done !== undefined) changed?.(serverId, deploymentId);
        return done !== undefined;
      },

      async deleteRollbackPoint(serverId, deploymentId) {
        const done = await run(() => call(pendingMethods.deleteRollbackPoint, { serverId, deploymentId }));
        if (done !== undefined) changed?.(serverId, deploymentId);
        return done !== undefined;
      },

      reset: () => set({ plan: undefined, planLoading: false, busy: false, error: undefined }),
    };
  });
}

export type RollbackStore = ReturnType<typeof createRollbackStore>;
