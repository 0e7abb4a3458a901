import { create } from 'zustand';
import type {
  HostKeyPrompt,
  ImportCandidate,
  ProbeInput,
  ProbeResult,
  Server,
  ServerInput,
  ServerHealth,
  ServerOverview,
  ServerStatus,
} from '../../../shared/api/servers';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';

export interface OverviewSlot {
  data?: ServerOverview;
  loading: boolean;
  error?: ErrorEnvelope;
}

export interface HealthSlot {
  data?: ServerHealth;
  loading: boolean;
  error?: ErrorEnvelope;
}

export interface ServersState {
  servers: Server[];
  loaded: boolean;
  loadError?: ErrorEnvelope;
  statuses: Record<string, ServerStatus>;
  overviews: Record<string, OverviewSlot>;
  /** The engine's part-by-part check of each server, as last computed (by any view or command). */
  health: Record<string, HealthSlot>;
  /** Host keys waiting for the user's yes or no, oldest first. */
  prompts: HostKeyPrompt[];
  load(): Promise<void>;
  add(input: ServerInput): Promise<Server>;
  update(serverId: string, patch: Partial<ServerInput>): Promise<Server>;
  remove(serverId: string): Promise<void>;
  connect(serverId: string): Promise<ServerStatus | undefined>;
  loadOverview(serverId: string): Promise<void>;
  loadHealth(serverId: string): Promise<void>;
  /** Replaces the server's edge proxy with this entry's settings; the old one serves until the new one answers. */
  applyProxy(serverId: string): Promise<void>;
  probe(input: ProbeInput): Promise<ProbeResult>;
  importCandidates(): Promise<ImportCandidate[]>;
  setPassphrase(serverId: string, passphrase: string): Promise<void>;
  answerHostKey(promptId: string, accept: boolean): Promise<void>;
  /** After a reinstall: drops the key Berth recorded for the server and connects again, which asks anew. */
  forgetHostKey(serverId: string): Promise<void>;
  /** Subscribes to the engine's server events; returns the unsubscribe. */
  start(): () => void;
}

/** Servers, their live connection state, overviews and host-key prompts: every server call goes through here. */
export function createServersStore(api: Api) {
  return create<ServersState>()((set, get) => ({
    servers: [],
    loaded: false,
    statuses: {},
    overviews: {},
    health: {},
    prompts: [],

    async load() {
      try {
        const [servers, statuses, prompts] = await Promise.all([
          api.call('servers.list', {}),
          api.call('servers.status', {}),
          api.call('hostKeys.pending', {}),
        ]);
        set({
          servers,
          statuses: Object.fromEntries(statuses.map((s) => [s.serverId, s])),
          prompts,
          loaded: true,
          loadError: undefined,
        });
      } catch (error) {
        set({ loaded: true, loadError: toError(error) });
      }
    },

    async add(input) {
      const server = await api.call('servers.add', input);
      set((s) => ({ servers: [...s.servers.filter((x) => x.id !== server.id), server] }));
      return server;
    },

    async update(serverId, patch) {
      const server = await api.call('servers.update', { serverId, patch });
      set((s) => ({ servers: s.servers.map((x) => (x.id === serverId ? server : x)) }));
      return server;
    },

    async remove(serverId) {
      await api.call('servers.remove', { serverId });
      set((s) => {
        const statuses = { ...s.statuses };
        const overviews = { ...s.overviews };
        const health = { ...s.health };
        delete statuses[serverId];
        delete overviews[serverId];
        delete health[serverId];
        return { servers: s.servers.filter((x) => x.id !== serverId), statuses, overviews, health };
      });
    },

    async connect(serverId) {
      try {
        const status = await api.call('servers.connect', { serverId });
        set((s) => ({ statuses: { ...s.statuses, [serverId]: status } }));
        return status;
      } catch (error) {
        const envelope = toError(error);
        set((s) => ({
          statuses: {
            ...s.statuses,
            [serverId]: { serverId, state: 'unreachable', error: envelope, since: new Date().toISOString() },
          },
        }));
        return undefined;
      }
    },

    async loadOverview(serverId) {
      set((s) => ({ overviews: { ...s.overviews, [serverId]: { ...s.overviews[serverId], loading: true } } }));
      try {
        const data = await api.call('servers.overview', { serverId });
        set((s) => ({
          overviews: { ...s.overviews, [serverId]: { data, loading: false } },
          statuses: { ...s.statuses, [serverId]: data.status },
        }));
      } catch (error) {
        set((s) => ({
          overviews: {
            ...s.overviews,
            [serverId]: { data: s.overviews[serverId]?.data, loading: false, error: toError(error) },
          },
        }));
      }
    },

    async loadHealth(serverId) {
      set((s) => ({ health: { ...s.health, [serverId]: { ...s.health[serverId], loading: true } } }));
      try {
        const data = await api.call('servers.health', { serverId });
        set((s) => ({ health: { ...s.health, [serverId]: { data, loading: false } } }));
      } catch (error) {
        set((s) => ({ health: { ...s.health, [serverId]: { data: s.health[serverId]?.data, loading: false, error: toError(error) } } }));
      }
    },

    async applyProxy(serverId) {
      await api.call('servers.applyProxy', { serverId });
      await get().loadHealth(serverId);
    },

    probe: (input) => api.call('servers.probe', input),
    importCandidates: () => api.call('servers.importCandidates', {}),

    async setPassphrase(serverId, passphrase) {
      await api.call('servers.setPassphrase', { serverId, passphrase });
    },

    async answerHostKey(promptId, accept) {
      set((s) => ({ prompts: s.prompts.filter((p) => p.promptId !== promptId) }));
      await api.call('hostKeys.answer', { promptId, accept });
    },

    async forgetHostKey(serverId) {
      const server = get().servers.find((s) => s.id === serverId);
      if (!server) return;
      await api.call('hostKeys.forget', { host: server.host, port: server.port });
      await get().connect(serverId);
    },

    start() {
      const offs = [
        api.on('servers.status', (status) => set((s) => ({ statuses: { ...s.statuses, [status.serverId]: status } }))),
        api.on('servers.changed', () => void get().load()),
        api.on('servers.health', (health) => set((s) => ({ health: { ...s.health, [health.serverId]: { data: health, loading: false } } }))),
        api.on('hostKeys.prompt', (prompt) =>
          set((s) => ({ prompts: [...s.prompts.filter((p) => p.promptId !== prompt.promptId), prompt] })),
        ),
        api.on('hostKeys.resolved', ({ promptId }) =>
          set((s) => ({ prompts: s.prompts.filter((p) => p.promptId !== promptId) })),
        ),
        api.onConnection((connected) => {
          if (connected) void get().load();
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  }));
}

export type ServersStore = ReturnType<typeof createServersStore>;
