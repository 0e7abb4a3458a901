import type { appsMethods } from '../../../shared/api/apps';
import type { deploymentsMethods } from '../../../shared/api/deployments';
import type { logsMethods } from '../../../shared/api/logs';
import type { Handlers } from '../rpc/dispatcher';
import { AppStore } from '../apps/app-store';
import { createAppHandlers, type AppHooks } from '../apps/handlers';
import type { FollowLinks } from '../docker/log-follow';
import type { EventBus } from '../events/event-bus';
import type { BerthPaths } from '../home';
import { AppLogs } from '../logs/app-logs';
import { createLogHandlers } from '../logs/handlers';
import { secretValuesOf } from '../logs/secret-mask';
import { closeServerLocks } from '../proxy/server-lock';
import { Reconciler } from '../reconcile/reconciler';
import { ReleaseStore } from '../releases/release-store';
import type { SecretStore } from '../store/secret-store';
import { ArchiveDrops } from '../archive/archive-drops';
import { createUploadHandlers } from '../archive/handlers';
import type { uploadsMethods } from '../../../shared/api/archives';
import { DeployService } from './deploy-service';
import type { DeploymentHooks } from './deployment-hooks';
import { createDeploymentHandlers } from './handlers';
import type { ServerLookup } from './pipeline';

type DeployMethods = keyof typeof appsMethods | keyof typeof deploymentsMethods | keyof typeof logsMethods | keyof typeof uploadsMethods;

export interface DeployModuleDeps {
  paths: BerthPaths;
  bus: EventBus;
  secrets: SecretStore;
  links: FollowLinks;
  servers: ServerLookup;
  /** Where the rollback engine joins each run (lock, image transfer, watch, automatic rollback). */
  hooks?: DeploymentHooks;
  /** Where other parts join an app's removal (its previews go with it). */
  appHooks?: AppHooks;
}

export interface DeployModule {
  apps: AppStore;
  store: ReleaseStore;
  service: DeployService;
  appLogs: AppLogs;
  reconciler: Reconciler;
  handlers: Pick<Handlers, DeployMethods>;
  /** Reconciles every server with a deployment left in progress (call once the engine is up). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Apps, deployments and logs: the stores, the queue and their handlers, wired once per engine. */
export function createDeployModule(deps: DeployModuleDeps): DeployModule {
  const apps = new AppStore(deps.paths, deps.secrets);
  const store = new ReleaseStore(deps.paths);
  const archives = new ArchiveDrops(deps.paths.uploads);
  const service = new DeployService({ ...deps, store, apps, archives });
  // what a container prints is masked with the secrets of every release that may be running it
  const appLogs = new AppLogs(deps.links, async (serverId, name) => {
    const releases = [...store.list(serverId, { app: name, limit: 5 }), store.live(serverId, name)];
    const envs = [...releases.map((r) => r?.config.env ?? []), apps.list(serverId).find((a) => a.name === name)?.runtime.env ?? []];
    return (await Promise.all(envs.map((env) => secretValuesOf(env, deps.secrets)))).flat();
  });
  const reconciler = new Reconciler({ store, links: deps.links, bus: deps.bus, queue: service.queue, servers: deps.servers });

  // Each time a server connects, what ran there meanwhile (another Berth's deployments included) is checked.
  const last = new Map<string, string>();
  const unsubscribe = deps.bus.on('servers.status', (status) => {
    const previous = last.get(status.serverId);
    last.set(status.serverId, status.state);
    if (status.state === 'connected' && previous !== 'connected') void reconciler.run(status.serverId).catch(() => undefined);
  });

  return {
    apps,
    store,
    service,
    appLogs,
    reconciler,
    handlers: {
      ...createAppHandlers({ apps, bus: deps.bus, links: deps.links, servers: deps.servers, ...(deps.appHooks ? { hooks: deps.appHooks } : {}) }),
      ...createDeploymentHandlers({ service, servers: deps.servers, reconciler, links: deps.links }),
      ...createLogHandlers({ store, appLogs }),
      ...createUploadHandlers(archives.uploads),
    },
    start: async () => {
      await reconciler.startup();
    },
    close: async () => {
      unsubscribe();
      await reconciler.close();
      appLogs.closeAll();
      await service.close();
      closeServerLocks();
    },
  };
}
