import { EventBus } from './events/event-bus';
import { Dispatcher, type Handlers } from './rpc/dispatcher';
import { berthPaths, defaultHome, type BerthPaths } from './home';
import { KeyFileSecrets } from './store/key-file-secrets';
import type { SecretStore } from './store/secret-store';
import { ConnectionPool } from './ssh/connection-pool';
import { createServerHandlers } from './servers/handlers';
import { createDeployModule, type DeployModule } from './deploy/deploy-module';

export interface EngineOptions {
  home?: string;
  /** The Electron shell passes a safeStorage-backed store; plain Node uses a key file in the home. */
  secrets?: SecretStore;
  /** Host key fingerprints (SHA256:…) to trust on first sight without a prompt, as the CLI's --accept-host-key. */
  acceptHostKeys?: string[];
}

export interface Engine {
  paths: BerthPaths;
  bus: EventBus;
  dispatcher: Dispatcher;
  pool: ConnectionPool;
  deploy: DeployModule;
  /** Settles once deployments left in progress by an earlier run have been reconciled. */
  reconciled: Promise<void>;
  close(): Promise<void>;
}

/** Builds the whole engine in plain Node: the same object behind Electron IPC, the WebSocket bridge and the CLI. */
export function createEngine(options: EngineOptions = {}): Engine {
  const paths = berthPaths(options.home ?? defaultHome());
  const bus = new EventBus();
  const secrets = options.secrets ?? new KeyFileSecrets(paths.secretKey);
  const pool = new ConnectionPool({ paths, bus, secrets, trustedFingerprints: options.acceptHostKeys ?? [] });
  const deploy = createDeployModule({ paths, bus, secrets, links: pool, servers: async (serverId) => pool.servers.get(serverId) });
  const handlers: Handlers = {
    ...createServerHandlers({ paths, bus, secrets, pool }),
    ...deploy.handlers,
  };
  return {
    paths,
    bus,
    dispatcher: new Dispatcher(handlers),
    pool,
    deploy,
    reconciled: deploy.start().catch(() => undefined),
    close: async () => {
      await deploy.close();
      await pool.closeAll();
    },
  };
}
