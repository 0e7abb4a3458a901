import { create } from 'zustand';
import type { RefusedAccess } from '../../../shared/bridge-access';

export type Theme = 'system' | 'light' | 'dark';
export type AppTab = 'deployments' | 'previews' | 'logs' | 'settings';

export type Dialog =
  | { kind: 'add-server' }
  | { kind: 'edit-server'; serverId: string }
  | { kind: 'remove-server'; serverId: string }
  | { kind: 'new-app' }
  /** With the archive a user dropped on the app, to deploy it. */
  | { kind: 'deploy'; archive?: File }
  | { kind: 'rollback'; deploymentId: string }
  | { kind: 'shortcuts' };

export interface UiState {
  serverId?: string;
  appId?: string;
  tab: AppTab;
  theme: Theme;
  switcherOpen: boolean;
  /** Whether the engine is reachable (the browser bridge can drop and come back). */
  connected: boolean;
  /** Why the browser bridge refused this page; the window then shows only that and what to do. */
  refused?: RefusedAccess;
  dialog?: Dialog;
  /** Which deployment's log the Logs tab shows; undefined = the live container log. */
  logSource?: { kind: 'deployment'; deploymentId: string } | { kind: 'container' };
  selectServer(serverId: string | undefined): void;
  selectApp(appId: string | undefined, tab?: AppTab): void;
  setTab(tab: AppTab): void;
  setTheme(theme: Theme): void;
  cycleTheme(): void;
  openSwitcher(open: boolean): void;
  openDialog(dialog: Dialog | undefined): void;
  viewLogs(source: UiState['logSource']): void;
  setConnected(connected: boolean): void;
  setRefused(refused: RefusedAccess): void;
}

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'berth.ui';

/** Where the user is and how the window looks; selection and theme survive a reload. */
export function createUiStore(storage?: KeyValue) {
  const saved = read(storage);
  const store = create<UiState>()((set, get) => ({
    serverId: saved.serverId,
    appId: saved.appId,
    tab: saved.tab ?? 'deployments',
    theme: saved.theme ?? 'system',
    switcherOpen: false,
    connected: true,
    selectServer(serverId) {
      if (serverId === get().serverId && get().appId === undefined) return;
      set({ serverId, appId: undefined, tab: 'deployments', logSource: undefined });
    },
    selectApp(appId, tab) {
      set({ appId, tab: tab ?? 'deployments', logSource: undefined });
    },
    setTab: (tab) => set({ tab }),
    setTheme: (theme) => set({ theme }),
    cycleTheme() {
      const order: Theme[] = ['system', 'light', 'dark'];
      set({ theme: order[(order.indexOf(get().theme) + 1) % order.length]! });
    },
    openSwitcher: (switcherOpen) => set({ switcherOpen }),
    openDialog: (dialog) => set({ dialog }),
    viewLogs: (logSource) => set({ logSource, tab: 'logs' }),
    setConnected: (connected) => set({ connected }),
    setRefused: (refused) => set({ refused, dialog: undefined, switcherOpen: false }),
  }));
  store.subscribe((s) => {
    storage?.setItem(KEY, JSON.stringify({ serverId: s.serverId, appId: s.appId, tab: s.tab, theme: s.theme }));
  });
  return store;
}

function read(storage?: KeyValue): Partial<Pick<UiState, 'serverId' | 'appId' | 'tab' | 'theme'>> {
  try {
    const raw = storage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as Partial<UiState>) : {};
  } catch {
    return {};
  }
}

export type UiStore = ReturnType<typeof createUiStore>;
