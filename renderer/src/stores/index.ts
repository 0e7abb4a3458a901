import { api } from '../bridge/client';
import { createAppsStore } from './apps';
import { createAutoDeployStore } from './auto-deploy';
import { createBuildsStore } from './builds';
import { createDeploymentsStore } from './deployments';
import { createLogsStore } from './logs';
import { createPreviewsStore } from './previews';
import { createRollbackStore } from './rollback';
import { createServersStore } from './servers';
import { createStoreWarningsStore } from './store-warnings';
import { createToastsStore } from './toasts';
import { createUiStore } from './ui';
import { createUptimeStore } from './uptime';

/** The window's stores, wired to the real engine. Tests build their own from the factories with a fake Api. */
export const useToasts = createToastsStore();
export const useUi = createUiStore(window.localStorage);
export const useServers = createServersStore(api);
export const useApps = createAppsStore(api);
export const useDeployments = createDeploymentsStore({
  api,
  toast: (t) => useToasts.getState().push(t),
  serverName: (id) => useServers.getState().servers.find((s) => s.id === id)?.name ?? id,
  ...(window.berth?.pathForFile ? { pathForFile: window.berth.pathForFile } : {}),
});
export const useRollback = createRollbackStore({
  api,
  started: (d) => void useDeployments.getState().refresh(d.serverId, d.id).catch(() => undefined),
  changed: (d) => void useDeployments.getState().refresh(d.serverId, d.id).catch(() => undefined),
});
export const useLogs = createLogsStore(api);
export const usePreviews = createPreviewsStore(api);
export const useAutoDeploy = createAutoDeployStore(api);
export const useBuilds = createBuildsStore(api);
export const useStoreWarnings = createStoreWarningsStore(api);
export const useUptime = createUptimeStore(api);

/** Subscribes every store to the engine's events once, at start. */
export function startStores(): () => void {
  const offs = [
    useServers.getState().start(),
    useApps.getState().start(),
    useDeployments.getState().start(),
    useLogs.getState().start(),
    usePreviews.getState().start(),
    useAutoDeploy.getState().start(),
    useStoreWarnings.getState().start(),
    useUptime.getState().start(),
    api.onConnection((connected) => useUi.getState().setConnected(connected)),
    api.onRefused((verdict) => useUi.getState().setRefused(verdict)),
  ];
  void useServers.getState().load();
  return () => offs.forEach((off) => off());
}
