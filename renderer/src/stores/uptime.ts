import { create } from 'zustand';
import type { AppUptime } from '../../../shared/api/uptime';
import type { Api } from '../bridge/client';

export interface UptimeState {
  /** By `serverId/app`; only apps the engine's watch has a verdict for. */
  byApp: Record<string, AppUptime>;
  load(): Promise<void>;
  start(): () => void;
}

export const uptimeKey = (serverId: string, app: string): string => `${serverId}/${app}`;

/** The engine's app-down verdicts, as its watch finds them; the window only shows them. */
export function createUptimeStore(api: Api) {
  const put = (byApp: Record<string, AppUptime>, u: AppUptime): Record<string, AppUptime> => {
    const next = { ...byApp };
    if (u.state === 'unknown') delete next[uptimeKey(u.serverId, u.app)];
    else next[uptimeKey(u.serverId, u.app)] = u;
    return next;
  };
  return create<UptimeState>()((set, get) => ({
    byApp: {},

    async load() {
      const list = await api.call('uptime.list', {});
      set({ byApp: list.reduce(put, {}) });
    },

    start() {
      const offs = [
        api.on('uptime.changed', (u) => set((s) => ({ byApp: put(s.byApp, u) }))),
        api.onConnection((connected) => {
          if (connected) void get().load().catch(() => undefined);
        }),
      ];
      void get().load().catch(() => undefined);
      return () => offs.forEach((off) => off());
    },
  }));
}

export type UptimeStore = ReturnType<typeof createUptimeStore>;
