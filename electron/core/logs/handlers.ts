import type { logsMethods } from '../../../shared/api/logs';
import type { ReleaseStore } from '../releases/release-store';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { AppLogs } from './app-logs';
import { readDeploymentLog } from './deployment-log';

export interface LogHandlerDeps {
  store: ReleaseStore;
  appLogs: AppLogs;
}

export function createLogHandlers({ store, appLogs }: LogHandlerDeps): HandlerGroup<keyof typeof logsMethods> {
  return {
    'logs.deployment': async ({ serverId, deploymentId, fromLine, limit }) => readDeploymentLog(store.get(serverId, deploymentId).logPath, fromLine, limit),
    // lines go to the caller only, and the follow ends when the caller goes away
    'logs.followApp': async (input, ctx) =>
      appLogs.follow(
        input,
        (batch) => ctx.emit('logs.lines', batch),
        (end) => ctx.emit('logs.ended', end),
        ctx.signal,
      ),
    'logs.unfollow': async ({ followId }) => ({ stopped: appLogs.unfollow(followId) }),
    'logs.recent': async ({ followId, limit }) => appLogs.recent(followId, limit),
  };
}
