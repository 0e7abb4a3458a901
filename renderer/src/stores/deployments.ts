import { create } from 'zustand';
import type { DeployInput, Deployment, DeploymentSummary, ReconcileReport } from '../../../shared/api/deployments';
import type { ErrorEnvelope } from '../../../shared/errors';
import { notificationFor } from '../../../shared/notifications';
import type { Api } from '../bridge/client';
import { sendArchive } from '../lib/archive-send';
import { toError } from '../lib/errors';
import type { ToastsState } from './toasts';

export interface HistorySlot {
  /** Newest first. */
  list: Deployment[];
  loading: boolean;
  loaded: boolean;
  /** More, older deployments exist than were loaded. */
  more: boolean;
  error?: ErrorEnvelope;
}

export interface DeploymentsState {
  history: Record<string, HistorySlot>;
  /** Running and waiting deployments per server, in run order. */
  queue: Record<string, DeploymentSummary[]>;
  /** Each server's live releases, one per app, as the engine finds them. */
  live: Record<string, Deployment[]>;
  /** The last drift check of each server. */
  drift: Record<string, ReconcileReport>;
  /** The watch after going live, per deployment id, while the engine reports one. */
  watch: Record<string, { state: 'watching' | 'passed' | 'failed' | 'stopped'; until: string }>;
  loadLive(serverId: string): Promise<void>;
  reconcile(serverId: string): Promise<ReconcileReport>;
  load(serverId: string, app: string): Promise<void>;
  loadOlder(serverId: string, app: string): Promise<void>;
  loadQueue(serverId: string): Promise<void>;
  refresh(serverId: string, deploymentId: string): Promise<Deployment | undefined>;
  deploy(input: DeployInput): Promise<Deployment>;
  /** Sends a dropped archive to the engine (its path, or its bytes in chunks), then deploys it. */
  deployArchive(input: DeployInput, file: File, root: string, onProgress: (sent: number) => void): Promise<Deployment>;
  cancel(serverId: string, deploymentId: string): Promise<void>;
  start(): () => void;
}

export const PAGE = 1000;
const empty: HistorySlot = { list: [], loading: false, loaded: false, more: false };

export const historyKey = (serverId: string, app: string): string => `${serverId}/${app}`;

export function historyOf(state: Pick<DeploymentsState, 'history'>, serverId?: string, app?: string): HistorySlot {
  return (serverId && app && state.history[historyKey(serverId, app)]) || empty;
}

export interface DeploymentsDeps {
  api: Api;
  toast: ToastsState['push'];
  /** Server names for notification wording. */
  serverName?: (serverId: string) => string;
  /** The desktop app's way to a dropped file's path; a browser has none. */
  pathForFile?: (file: File) => string;
}

/** Deployment history per app and the run queue per server; keeps both current from the engine's events. */
export function createDeploymentsStore({ api, toast, serverName = (id) => id, pathForFile }: DeploymentsDeps) {
  return create<DeploymentsState>()((set, get) => {
    const patchSlot = (key: string, fn: (slot: HistorySlot) => Partial<HistorySlot>) =>
      set((s) => {
        const slot = s.history[key] ?? empty;
        return { history: { ...s.history, [key]: { ...slot, ...fn(slot) } } };
      });

    const upsert = (d: Deployment) =>
      patchSlot(historyKey(d.serverId, d.app), (slot) => {
        const at = slot.list.findIndex((x) => x.id === d.id);
        const list = at >= 0 ? slot.list.map((x, i) => (i === at ? d : x)) : [d, ...slot.list];
        list.sort((a, b) => b.seq - a.seq);
        return { list };
      });

    return {
      history: {},
      queue: {},
      live: {},
      drift: {},
      watch: {},

      async loadLive(serverId) {
        const list = await api.call('deployments.live', { serverId });
        set((s) => ({ live: { ...s.live, [serverId]: list } }));
      },

      async reconcile(serverId) {
        const report = await api.call('deployments.reconcile', { serverId });
        set((s) => ({ drift: { ...s.drift, [serverId]: report } }));
        return report;
      },

      async load(serverId, app) {
        const key = historyKey(serverId, app);
        patchSlot(key, () => ({ loading: true }));
        try {
          const list = await api.call('deployments.list', { serverId, app, limit: PAGE });
          patchSlot(key, () => ({ list, loading: false, loaded: true, more: list.length === PAGE, error: undefined }));
        } catch (error) {
          patchSlot(key, () => ({ loading: false, loaded: true, error: toError(error) }));
        }
      },

      async loadOlder(serverId, app) {
        const key = historyKey(serverId, app);
        const oldest = get().history[key]?.list.at(-1);
        if (!oldest) return;
        const older = await api.call('deployments.list', { serverId, app, limit: PAGE, before: oldest.seq });
        patchSlot(key, (slot) => ({ list: [...slot.list, ...older], more: older.length === PAGE }));
      },

      async loadQueue(serverId) {
        try {
          const queue = await api.call('deployments.queue', { serverId });
          set((s) => ({ queue: { ...s.queue, [serverId]: queue } }));
        } catch {
          // The queue is a convenience above the table; the history still shows every deployment's status.
        }
      },

      async refresh(serverId, deploymentId) {
        const d = await api.call('deployments.get', { serverId, deploymentId });
        if (get().history[historyKey(serverId, d.app)]?.loaded) upsert(d);
        return d;
      },

      async deploy(input) {
        const d = await api.call('deployments.deploy', input);
        upsert(d);
        void get().loadQueue(input.serverId);
        return d;
      },

      async deployArchive(input, file, root, onProgress) {
        const drop = await sendArchive(api, file, onProgress, pathForFile);
        try {
          return await get().deploy({ ...input, archive: { ...drop, root } });
        } catch (error) {
          // a refused upload is not kept: the next try sends the file again
          if ('uploadId' in drop) await api.call('uploads.discard', drop).catch(() => undefined);
          throw error;
        }
      },

      async cancel(serverId, deploymentId) {
        const d = await api.call('deployments.cancel', { serverId, deploymentId });
        upsert(d);
        void get().loadQueue(serverId);
      },

      start() {
        const notice =
          (topic: string, level: 'success' | 'error' | 'warning') =>
          (d: { serverId: string; app: string; deploymentId: string | null; seq: number | null; message: string; error?: ErrorEnvelope }) => {
            const words = notificationFor(topic, d, serverName(d.serverId));
            toast({
              title: words?.title ?? d.app,
              body: d.message,
              level,
              code: d.error?.code,
              key: d.deploymentId ? `deployment:${d.deploymentId}` : undefined,
            });
          };
        const offs = [
          api.on('deployments.changed', (summary) => {
            const key = historyKey(summary.serverId, summary.app);
            if (get().history[key]?.loaded) void get().refresh(summary.serverId, summary.id).catch(() => undefined);
            if (get().queue[summary.serverId]) void get().loadQueue(summary.serverId);
            if (get().live[summary.serverId]) void get().loadLive(summary.serverId).catch(() => undefined);
          }),
          api.on('deployments.drift', (report) => set((s) => ({ drift: { ...s.drift, [report.serverId]: report } }))),
          api.on('notifications.deploymentSucceeded', notice('notifications.deploymentSucceeded', 'success')),
          api.on('notifications.deploymentFailed', notice('notifications.deploymentFailed', 'error')),
          api.on('notifications.healthCheckFailed', notice('notifications.healthCheckFailed', 'warning')),
          api.on('notifications.appDown', notice('notifications.appDown', 'error')),
          api.on('notifications.appUp', notice('notifications.appUp', 'success')),
          api.on('notifications.pushFailed', notice('notifications.pushFailed', 'warning')),
          api.on('notifications.autoRolledBack', (d) =>
            toast({
              title: `${d.app}: #${d.seq} was rolled back on ${serverName(d.serverId)}`,
              body: d.message,
              level: 'warning',
              key: `deployment:${d.deploymentId}`,
            }),
          ),
          api.on('deployments.watch', ({ deploymentId, state, until }) => set((s) => ({ watch: { ...s.watch, [deploymentId]: { state, until } } }))),
          api.onConnection((connected) => {
            if (!connected) return;
            // Catch up on whatever finished while the bridge was away.
            for (const [key, slot] of Object.entries(get().history)) {
              const [serverId, app] = key.split('/') as [string, string];
              if (slot.loaded) void get().load(serverId, app);
            }
          }),
        ];
        return () => offs.forEach((off) => off());
      },
    };
  });
}

export type DeploymentsStore = ReturnType<typeof createDeploymentsStore>;
