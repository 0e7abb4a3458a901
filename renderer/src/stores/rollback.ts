import { create } from 'zustand';
import type { Deployment } from '../../../shared/api/deployments';
import type { RollbackMode, RollbackPlan, RollbackSettings, RollbackSettingsPatch } from '../../../shared/api/rollback';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';

export interface RollbackState {
  /** The engine's plan for the dialog's target and mode (checked live against the server). */
  plan?: RollbackPlan;
  planLoading: boolean;
  busy: boolean;
  error?: ErrorEnvelope;
  /** Rollback settings per `serverId/app`. */
  settings: Record<string, RollbackSettings>;
  loadPlan(serverId: string, app: string, targetId: string, mode: RollbackMode): Promise<void>;
  rollback(serverId: string, app: string, targetId: string, mode: RollbackMode): Promise<Deployment | undefined>;
  redeploy(serverId: string, app: string, targetId: string): Promise<Deployment | undefined>;
  pin(serverId: string, deploymentId: string, pinned: boolean): Promise<boolean>;
  /** Writes a release's note; empty text takes it away. */
  note(serverId: string, deploymentId: string, text: string): Promise<boolean>;
  deleteRollbackPoint(serverId: string, deploymentId: string): Promise<boolean>;
  loadSettings(serverId: string, app: string): Promise<void>;
  updateSettings(serverId: string, app: string, patch: RollbackSettingsPatch): Promise<RollbackSettings>;
  reset(): void;
}

export interface RollbackDeps {
  api: Api;
  /** Called with each deployment a rollback or redeploy started, so the history shows it at once. */
  started?: (d: Deployment) => void;
  /** Called with a record a pin or delete changed. */
  changed?: (d: Deployment) => void;
}

/** Rolling back, redeploying, pinning and pruning releases, and each app's rollback settings. */
export function createRollbackStore({ api, started, changed }: RollbackDeps) {
  return create<RollbackState>()((set) => {
    let planRequest = 0;
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
    const start = (serverId: string, app: string, targetId: string, mode: RollbackMode) =>
      run(async () => {
        const d = await api.call('deployments.rollback', { serverId, app, target: targetId, mode });
        started?.(d);
        return d;
      });

    return {
      planLoading: false,
      busy: false,
      settings: {},

      async loadPlan(serverId, app, targetId, mode) {
        // Flipping the mode quickly asks twice: only the newest question's answer may be shown.
        const asked = ++planRequest;
        set({ planLoading: true, plan: undefined, error: undefined });
        try {
          const plan = await api.call('deployments.rollbackPlan', { serverId, app, target: targetId, mode });
          if (asked === planRequest) set({ plan, planLoading: false });
        } catch (error) {
          if (asked === planRequest) set({ planLoading: false, error: toError(error) });
        }
      },

      rollback: (serverId, app, targetId, mode) => start(serverId, app, targetId, mode),
      redeploy: (serverId, app, targetId) => start(serverId, app, targetId, 'redeploy'),

      async pin(serverId, deploymentId, pinned) {
        const d = await run(() => api.call('deployments.pin', { serverId, deploymentId, pinned }));
        if (d) changed?.(d);
        return d !== undefined;
      },

      async note(serverId, deploymentId, text) {
        const d = await run(() => api.call('deployments.note', { serverId, deploymentId, text }));
        if (d) changed?.(d);
        return d !== undefined;
      },

      async deleteRollbackPoint(serverId, deploymentId) {
        const d = await run(() => api.call('deployments.deleteRollbackPoint', { serverId, deploymentId }));
        if (d) changed?.(d);
        return d !== undefined;
      },

      async loadSettings(serverId, app) {
        const value = await api.call('rollback.settings', { serverId, app });
        set((s) => ({ settings: { ...s.settings, [`${serverId}/${app}`]: value } }));
      },

      async updateSettings(serverId, app, patch) {
        const value = await api.call('rollback.updateSettings', { serverId, app, patch });
        set((s) => ({ settings: { ...s.settings, [`${serverId}/${app}`]: value } }));
        return value;
      },

      reset: () => {
        planRequest++;
        set({ plan: undefined, planLoading: false, busy: false, error: undefined });
      },
    };
  });
}

export type RollbackStore = ReturnType<typeof createRollbackStore>;
