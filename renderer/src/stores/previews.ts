import { create } from 'zustand';
import type { Deployment } from '../../../shared/api/deployments';
import type { PreviewRemoval, PreviewView } from '../../../shared/api/previews';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';

export interface PreviewsSlot {
  list: PreviewView[];
  loaded: boolean;
  error?: ErrorEnvelope;
}

export interface PreviewsState {
  /** By `serverId/app`, for the apps whose previews were asked for. */
  byApp: Record<string, PreviewsSlot>;
  load(serverId: string, app: string): Promise<void>;
  deploy(serverId: string, app: string, ref: string, title?: string): Promise<Deployment>;
  remove(serverId: string, app: string, ref: string, dropRecords: boolean): Promise<PreviewRemoval>;
  start(): () => void;
}

const empty: PreviewsSlot = { list: [], loaded: false };
const keyOf = (serverId: string, app: string) => `${serverId}/${app}`;

export function previewsOf(state: Pick<PreviewsState, 'byApp'>, serverId: string, app: string): PreviewsSlot {
  return state.byApp[keyOf(serverId, app)] ?? empty;
}

/** The previews of the apps on view, as the engine lists them; read again whenever an app or a deployment changes. */
export function createPreviewsStore(api: Api) {
  return create<PreviewsState>()((set, get) => {
    const reloadServer = (serverId: string) => {
      for (const key of Object.keys(get().byApp)) {
        const [server, app] = key.split('/');
        if (server === serverId && app) void get().load(server, app);
      }
    };
    return {
      byApp: {},

      async load(serverId, app) {
        try {
          const list = await api.call('previews.list', { serverId, app });
          set((s) => ({ byApp: { ...s.byApp, [keyOf(serverId, app)]: { list, loaded: true } } }));
        } catch (error) {
          set((s) => ({ byApp: { ...s.byApp, [keyOf(serverId, app)]: { ...previewsOf(s, serverId, app), loaded: true, error: toError(error) } } }));
        }
      },

      async deploy(serverId, app, ref, title) {
        const deployment = await api.call('previews.deploy', { serverId, app, ref, ...(title !== undefined ? { title } : {}) });
        await get().load(serverId, app);
        return deployment;
      },

      async remove(serverId, app, ref, dropRecords) {
        const removal = await api.call('previews.remove', { serverId, app, ref, dropRecords });
        await get().load(serverId, app);
        return removal;
      },

      start() {
        const offs = [
          api.on('apps.changed', ({ serverId }) => reloadServer(serverId)),
          api.on('deployments.changed', ({ serverId }) => reloadServer(serverId)),
        ];
        return () => offs.forEach((off) => off());
      },
    };
  });
}
