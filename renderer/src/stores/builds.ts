import { create } from 'zustand';
import type { BuildPlan, CacheCleared } from '../../../shared/api/builds';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';

export interface PlanSlot {
  plan?: BuildPlan;
  error?: ErrorEnvelope;
  loading: boolean;
}

export interface BuildsState {
  /** By `serverId/app`: the engine's plan for the app's next build, as last asked. */
  plans: Record<string, PlanSlot>;
  /** What the last clearing of each app's cache freed. */
  cleared: Record<string, CacheCleared>;
  loadPlan(serverId: string, app: string): Promise<void>;
  /** Resolves with the engine's report; rejects with its error. */
  clearCache(serverId: string, app: string): Promise<CacheCleared>;
}

const keyOf = (serverId: string, app: string) => `${serverId}/${app}`;
const idle: PlanSlot = { loading: false };

export function planOf(state: Pick<BuildsState, 'plans'>, serverId: string, app: string): PlanSlot {
  return state.plans[keyOf(serverId, app)] ?? idle;
}

/** Build plans and cache clearing: asked of the engine, which decides both; the view only shows them. */
export function createBuildsStore(api: Api) {
  return create<BuildsState>()((set) => ({
    plans: {},
    cleared: {},

    async loadPlan(serverId, app) {
      const key = keyOf(serverId, app);
      set((s) => ({ plans: { ...s.plans, [key]: { ...planOf(s, serverId, app), loading: true } } }));
      try {
        const plan = await api.call('builds.plan', { serverId, app });
        set((s) => ({ plans: { ...s.plans, [key]: { plan, loading: false } } }));
      } catch (error) {
        set((s) => ({ plans: { ...s.plans, [key]: { error: toError(error), loading: false } } }));
      }
    },

    async clearCache(serverId, app) {
      const report = await api.call('builds.clearCache', { serverId, app });
      set((s) => ({ cleared: { ...s.cleared, [keyOf(serverId, app)]: report } }));
      return report;
    },
  }));
}
