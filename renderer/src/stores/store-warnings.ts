import { create } from 'zustand';
import type { StoreWarning } from '../../../shared/api/store';
import type { Api } from '../bridge/client';

export interface StoreWarningsState {
  warnings: StoreWarning[];
  load(): Promise<void>;
  dismiss(ids: number[]): Promise<void>;
  start(): () => void;
}

/** Faults the engine found in the local records (quarantined records, restored backups), until dismissed. */
export function createStoreWarningsStore(api: Api) {
  return create<StoreWarningsState>()((set, get) => ({
    warnings: [],

    async load() {
      const { warnings } = await api.call('store.warnings', {});
      set({ warnings });
    },

    async dismiss(ids) {
      await api.call('store.dismissWarnings', { ids });
      set((s) => ({ warnings: s.warnings.filter((w) => !ids.includes(w.id)) }));
    },

    start() {
      const off = api.on('store.warning', (warning) =>
        set((s) => ({ warnings: [warning, ...s.warnings.filter((w) => w.id !== warning.id)] })),
      );
      void get().load().catch(() => undefined);
      return off;
    },
  }));
}

export type StoreWarningsStore = ReturnType<typeof createStoreWarningsStore>;
