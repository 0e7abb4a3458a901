import type { StoreWarning } from '../../shared/api/store';
import { EventBus } from './events/event-bus';
import { Dispatcher, type Handlers } from './rpc/dispatcher';
import { berthPaths, defaultHome, type BerthPaths } from './home';
import { createStoreHandlers } from './store/handlers';
import { createBuildHandlers } from './builds/handlers';
import { HomeStore } from './store/home-store';
import { KeyFileSecrets } from './store/key-file-secrets';
import type { SecretStore } from './store/secret-store';
import { ConnectionPool } from './ssh/connection-pool';
import { reviveProxyOnConnect } from './proxy/proxy-revival';
import { createServerHandlers, type ReleaseView } from './servers/handlers';
import { createDeployModule, type DeployModule } from './deploy/deploy-module';
import type { DeploymentHooks } from './deploy/deployment-hooks';
import type { AppHooks } from './apps/handlers';
import { createRollbackModule, type RollbackModule, type RollbackOptions } from './rollback/rollback-module';
import { createPreviewModule, type PreviewModule } from './previews/preview-module';
import { serverRefLister } from './previews/preview-refs';
import { createAutoDeployModule, type AutoDeployModule } from './watch/auto-deploy-module';
import { createUptimeModule, type UptimeModule, type UptimeOptions } from './uptime/uptime-module';

export interface EngineOptions {
  home?: string;
  /** The Electron shell passes a safeStorage-backed store; plain Node uses a key file in the home. */
  secrets?: SecretStore;
  /** Host key fingerprints (SHA256:…) to trust on first sight without a prompt, as the CLI's --accept-host-key. */
  acceptHostKeys?: string[];
  /** The server-side deploy lock: who this engine says it is, how long it waits for another one, and the lock's expiry. */
  lock?: RollbackOptions;
  /** How often a long-running engine (desktop app, web bridge) removes previews whose branch is gone; unset, never. */
  previewSweepMs?: number;
  /** How often a long-running engine looks for watched apps to check (auto-deploy); unset, only `autoDeploy.check` runs one. */
  autoDeployTickMs?: number;
  /** Watch every live release while the engine runs and announce an app that goes down or comes back (long-lived processes only). */
  uptime?: UptimeOptions;
}

export interface Engine {
  paths: BerthPaths;
  bus: EventBus;
  dispatcher: Dispatcher;
  pool: ConnectionPool;
  deploy: DeployModule;
  rollback: RollbackModule;
  previews: PreviewModule;
  autoDeploy: AutoDeployModule;
  uptime: UptimeModule;
  /** Faults in the records this process found so far (quarantined records, restored backups). */
  storeWarnings(): StoreWarning[];
  /** Settles once deployments left in progress by an earlier run have been reconciled. */
  reconciled: Promise<void>;
  close(): Promise<void>;
}

/** How long a status check waits for a reconciliation pass under way before reading the live records. */
const RECONCILE_WAIT_MS = 3000;

function releaseView(deploy: DeployModule, uptime: UptimeModule): ReleaseView {
  return {
    apps: (serverId) => deploy.apps.list(serverId).map((a) => a.name),
    live: async (serverId) => {
      await deploy.reconciler.settled(serverId, RECONCILE_WAIT_MS);
      return deploy.service.liveReleases(serverId);
    },
    busy: (serverId) => uptime.view.busy(serverId),
  };
}

/** Builds the whole engine in plain Node: the same object behind Electron IPC, the WebSocket bridge and the CLI. */
export function createEngine(options: EngineOptions = {}): Engine {
  const paths = berthPaths(options.home ?? defaultHome());
  const bus = new EventBus();
  // opened first: importing an older home and setting aside unreadable files happen before anything reads a record
  const store = HomeStore.open(paths.home);
  const stopWarnings = store.warnings.onWarning((warning) => bus.emit('store.warning', warning));
  const secrets = options.secrets ?? new KeyFileSecrets(paths.secretKey);
  const pool = new ConnectionPool({ paths, bus, secrets, trustedFingerprints: options.acceptHostKeys ?? [] });
  const servers = async (serverId: string) => pool.servers.get(serverId);
  // filled in once the rollback module exists: it needs the deploy module, whose runs it joins
  const hooks: DeploymentHooks = {};
  const appHooks: AppHooks = {};
  const deploy = createDeployModule({ paths, bus, secrets, links: pool, servers, hooks, appHooks });
  const rollback = createRollbackModule({ paths, bus, secrets, pool, deploy, servers, options: options.lock });
  Object.assign(hooks, rollback.hooks);
  const previews = createPreviewModule({ deploy, links: pool, servers, bus, listRefs: serverRefLister(pool, secrets) });
  appHooks.removing = (serverId, name) => previews.service.removeAll(serverId, name);
  if (options.previewSweepMs !== undefined) previews.startSweep(options.previewSweepMs);
  const autoDeploy = createAutoDeployModule({ home: store, deploy, links: pool, servers, secrets, bus });
  if (options.autoDeployTickMs !== undefined) autoDeploy.service.start(options.autoDeployTickMs);
  const uptime = createUptimeModule({ pool, bus, deploy, rollback, options: options.uptime });
  const stopRevival = reviveProxyOnConnect(bus, pool, servers);
  const handlers: Handlers = {
    ...createServerHandlers({ paths, bus, secrets, pool, releases: releaseView(deploy, uptime) }),
    ...deploy.handlers,
    ...createBuildHandlers({ apps: deploy.apps, store: deploy.store, links: pool, secrets }),
    ...rollback.handlers,
    ...previews.handlers,
    ...autoDeploy.handlers,
    ...uptime.handlers,
    ...createStoreHandlers(() => HomeStore.open(paths.home)),
  };
  return {
    paths,
    bus,
    dispatcher: new Dispatcher(handlers),
    pool,
    deploy,
    rollback,
    previews,
    autoDeploy,
    uptime,
    storeWarnings: () => store.warnings.raisedHere(),
    reconciled: deploy.start().catch(() => undefined),
    close: async () => {
      stopRevival();
      await autoDeploy.close();
      await previews.close();
      await uptime.watch.close();
      await rollback.close();
      await deploy.close();
      await pool.closeAll();
      stopWarnings();
      HomeStore.close(paths.home);
    },
  };
}
