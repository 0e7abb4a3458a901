import type { uptimeMethods } from '../../../shared/api/uptime';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { UptimeWatch } from './uptime-watch';

export function createUptimeHandlers(watch: UptimeWatch): HandlerGroup<keyof typeof uptimeMethods> {
  return {
    'uptime.list': async ({ serverId }) => watch.list(serverId),
  };
}
