import { create } from 'zustand';
import type { App, AppInput, AppPatch, EnvParseResult } from '../../../shared/api/apps';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';

export interface AppsSlot {
  list: App[];
  loading: boolean;
  loaded: boolean;
  error?: ErrorEnvelope;
}

export interface AppsState {
  byServer: Record<string, AppsSlot>;
  load(serverId: string): Promise<void>;
  create(input: AppInput): Promise<App>;
  update(serverId: string, name: string, patch: AppPatch): Promise<App>;
  remove(serverId: string, name: string, keepRunning?: boolean): Promise<void>;
  parseEnv(text: string): Promise<EnvParseResult>;
  importEnv(serverId: string, name: string, text: string, secret: boolean): Promise<App>;
  start(): () => void;
}

const empty: AppsSlot = { list: [], loading: false, loaded: false };

export function appsOf(state: Pick<AppsState, 'byServer'>, serverId: string | undefined): AppsSlot {
  return (serverId && state.byServer[serverId]) || empty;
}

/** App definitions per server. */
export function createAppsStore(api: Api) {
  const upsert = (set: (fn: (s: AppsState) => Partial<AppsState>) => void, app: App) =>
    set((s) => {
      const slot = s.byServer[app.serverId] ?? empty;
      const list = [...slot.list.filter((a) => a.name !== app.name), app].sort((a, b) => a.name.localeCompare(b.name));
      return { byServer: { ...s.byServer, [app.serverId]: { ...slot, list } } };
    });

  return create<AppsState>()((set, get) => ({
    byServer: {},

    async load(serverId) {
      set((s) => ({ byServer: { ...s.byServer, [serverId]: { ...(s.byServer[serverId] ?? empty), loading: true } } }));
      try {
        const list = await api.call('apps.list', { serverId });
        list.sort((a, b) => a.name.localeCompare(b.name));
        set((s) => ({ byServer: { ...s.byServer, [serverId]: { list, loading: false, loaded: true } } }));
      } catch (error) {
        set((s) => ({
          byServer: {
            ...s.byServer,
            [serverId]: { ...(s.byServer[serverId] ?? empty), loading: false, loaded: true, error: toError(error) },
          },
        }));
      }
    },

    async create(input) {
      const app = await api.call('apps.create', input);
      upsert(set, app);
      return app;
    },

    async update(serverId, name, patch) {
      const app = await api.call('apps.update', { serverId, name, patch });
      upsert(set, app);
      return app;
    },

    async remove(serverId, name, keepRunning = false) {
      await api.call('apps.remove', { serverId, name, keepRunning });
      set((s) => {
        const slot = s.byServer[serverId] ?? empty;
        return { byServer: { ...s.byServer, [serverId]: { ...slot, list: slot.list.filter((a) => a.name !== name) } } };
      });
    },

    parseEnv: (text) => api.call('apps.parseEnv', { text }),

    async importEnv(serverId, name, text, secret) {
      const app = await api.call('apps.importEnv', { serverId, name, text, secret });
      upsert(set, app);
      return app;
    },

    start() {
      return api.on('apps.changed', ({ serverId }) => {
        if (get().byServer[serverId]?.loaded) void get().load(serverId);
      });
    },
  }));
}

export type AppsStore = ReturnType<typeof createAppsStore>;
