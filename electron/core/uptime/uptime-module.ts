import type { Handlers } from '../rpc/dispatcher';
import type { DeployModule } from '../deploy/deploy-module';
import { IN_PROGRESS_STATUSES } from '../deploy/state-machine';
import type { EventBus } from '../events/event-bus';
import { isStale } from '../reconcile/reconcile-server';
import type { RollbackModule } from '../rollback/rollback-module';
import type { ConnectionPool } from '../ssh/connection-pool';
import { busyApps } from './busy';
import { createUptimeHandlers } from './handlers';
import type { UptimeView } from './server-watch';
import type { TrackOptions } from './uptime-tracker';
import { UptimeWatch } from './uptime-watch';

/** The app-down watch's settings; the engine runs it only when given them (the desktop app, `npm run web`). */
export interface UptimeOptions {
  /** Time between two looks at a server; 5 s by default. */
  intervalMs?: number;
  track?: TrackOptions;
}

export interface UptimeModule {
  watch: UptimeWatch;
  view: UptimeView & { servers(): string[] };
  handlers: Pick<Handlers, 'uptime.list'>;
}

const DEFAULT_INTERVAL_MS = 5000;

export function createUptimeModule(deps: { pool: ConnectionPool; bus: EventBus; deploy: DeployModule; rollback: RollbackModule; options?: UptimeOptions | undefined }): UptimeModule {
  const { pool, deploy, rollback } = deps;
  const view: UptimeModule['view'] = {
    servers: () => pool.servers.list().map((s) => s.id),
    server: (serverId) => pool.servers.get(serverId),
    apps: (serverId) => deploy.apps.list(serverId).map((a) => a.name),
    live: (serverId) => deploy.service.liveReleases(serverId),
    busy: (serverId) => {
      const underWay = deploy.store.withStatus(serverId, IN_PROGRESS_STATUSES).filter((d) => !isStale({ queue: deploy.service.queue }, d));
      return busyApps(underWay, deploy.service.liveReleases(serverId), (id) => rollback.watch.isWatching(id));
    },
  };
  const watch = new UptimeWatch({
    links: pool,
    bus: deps.bus,
    view,
    lock: rollback.lock,
    intervalMs: deps.options?.intervalMs ?? DEFAULT_INTERVAL_MS,
    ...(deps.options?.track ? { track: deps.options.track } : {}),
  });
  if (deps.options) watch.start();
  return { watch, view, handlers: createUptimeHandlers(watch) };
}
