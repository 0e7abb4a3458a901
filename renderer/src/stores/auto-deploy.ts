import { create } from 'zustand';
import type { AutoDeploySettings, AutoDeployStatus } from '../../../shared/api/auto-deploy';
import type { Api } from '../bridge/client';

export interface AutoDeployState {
  /** By `serverId/app`, as the engine last said. */
  byApp: Record<string, AutoDeployStatus>;
  load(serverId: string, app: string): Promise<void>;
  set(serverId: string, app: string, settings: AutoDeploySettings | null): Promise<void>;
  pause(serverId: string, app: string): Promise<void>;
  resume(serverId: string, app: string): Promise<void>;
  check(serverId: string, app: string): Promise<void>;
  start(): () => void;
}

export const autoDeployKey = (serverId: string, app: string) => `${serverId}/${app}`;

/** Each app's auto-deploy, as the engine reports it: every change (a check, a pause from `berth watch`) is pushed. */
export function createAutoDeployStore(api: Api) {
  return create<AutoDeployState>()((set) => {
    const keep = (status: AutoDeployStatus) => set((s) => ({ byApp: { ...s.byApp, [autoDeployKey(status.serverId, status.app)]: status } }));
    return {
      byApp: {},
      async load(serverId, app) {
        keep(await api.call('autoDeploy.get', { serverId, app }));
      },
      async set(serverId, app, settings) {
        keep(await api.call('autoDeploy.set', { serverId, app, settings }));
      },
      async pause(serverId, app) {
        keep(await api.call('autoDeploy.pause', { serverId, app }));
      },
      async resume(serverId, app) {
        keep(await api.call('autoDeploy.resume', { serverId, app }));
      },
      async check(serverId, app) {
        keep(await api.call('autoDeploy.check', { serverId, app }));
      },
      start() {
        return api.on('autoDeploy.changed', keep);
      },
    };
  });
}
