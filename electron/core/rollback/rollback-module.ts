import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { DeployModule } from '../deploy/deploy-module';
import type { DeploymentHooks } from '../deploy/deployment-hooks';
import type { ServerLookup } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { BerthPaths } from '../home';
import { ServerLock } from '../locks/server-lock';
import { ImageCache } from '../registry/image-cache';
import { releaseRepository } from '../registry/registry-ref';
import type { Handlers } from '../rpc/dispatcher';
import type { ConnectionPool } from '../ssh/connection-pool';
import type { SecretStore } from '../store/secret-store';
import { createRollbackHandlers, withLiveCapability } from './handlers';
import { ImageLocator } from './image-locator';
import { decideRetention } from './image-retention';
import { ReleaseWatch } from './release-watch';
import { RollbackService } from './rollback-service';
import { RollbackSettingsStore } from './rollback-settings';
import { Background, createRunHooks, pushOne } from './run-hooks';

export interface RollbackOptions {
  /** Named in the server-side lock as who deploys; the OS user by default. */
  lockOwner?: string;
  /** How long a deployment waits for another Berth's lock before it is refused (default 30 s). */
  lockWaitMs?: number;
  /** A lock not renewed for this long expires by itself (default 30 s; renewed every third of it). */
  lockTtlMs?: number;
}

export interface RollbackModuleDeps {
  paths: BerthPaths;
  bus: EventBus;
  secrets: SecretStore;
  pool: ConnectionPool;
  deploy: DeployModule;
  servers: ServerLookup;
  options?: RollbackOptions;
}

type RollbackMethods = Extract<keyof Handlers, `rollback.${string}`> | 'deployments.rollbackPlan' | 'deployments.rollback' | 'deployments.rollbackPoints' | 'deployments.pin' | 'deployments.note' | 'deployments.deleteRollbackPoint' | 'deployments.lock';

export interface RollbackModule {
  service: RollbackService;
  settings: RollbackSettingsStore;
  lock: ServerLock;
  watch: ReleaseWatch;
  hooks: DeploymentHooks;
  /** The rollback methods, plus history reads that carry each release's live rollback capability. */
  handlers: Pick<Handlers, RollbackMethods | 'deployments.list' | 'deployments.get'>;
  /** Resolves once background pushes and cache copies are done (tests, the benchmark). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Rollback, registry, retention, the watch window and the server-side lock, wired once per engine. */
export function createRollbackModule(deps: RollbackModuleDeps): RollbackModule {
  const { pool, deploy, bus } = deps;
  const settings = new RollbackSettingsStore(deps.paths, deps.secrets);
  const cache = new ImageCache(join(deps.paths.home, 'image-cache'));
  const otherServers = (serverId: string) =>
    pool.servers
      .list()
      .filter((s) => s.id !== serverId)
      .map((s) => ({ id: s.id, name: s.name, connected: pool.status(s.id).state === 'connected' }));
  const locator = new ImageLocator({ links: pool, store: deploy.store, settings, cache, otherServers });
  const options = deps.options ?? {};
  const lock = new ServerLock({ owner: options.lockOwner ?? userInfo().username, host: hostname(), pid: process.pid });
  const watch = new ReleaseWatch({ links: pool, store: deploy.store, bus, lock });
  const service = new RollbackService({ store: deploy.store, apps: deploy.apps, deploy: deploy.service, settings, locator, cache, links: pool, bus, secrets: deps.secrets, paths: deps.paths });
  const background = new Background();
  const hookDeps = { store: deploy.store, links: pool, bus, settings, locator, cache, lock, lockTiming: { ttlMs: options.lockTtlMs ?? 30_000, waitMs: options.lockWaitMs ?? 30_000 }, watch, service };
  const hooks = createRunHooks(hookDeps, background);

  /** After a registry is set, the releases still kept on the server are pushed to it too. */
  const backfill = (serverId: string, app: string): void =>
    background.run(async (signal) => {
      const registry = await settings.registryAccess(serverId, app);
      if (!registry) return;
      const link = await pool.acquire(serverId);
      try {
        const records = deploy.store.list(serverId, { app });
        const kept = decideRetention(records, settings.get(serverId, app).keepLast, new Set()).keep;
        const onServer = await locator.serverImages(link, true);
        const repo = `${releaseRepository(registry, app)}@`;
        for (const d of records) {
          if (!d.image || !kept.has(d.image.id) || !onServer.has(d.image.id) || d.image.digest?.startsWith(repo) || d.timestamps.live === undefined) continue;
          if (signal.aborted) return;
          await pushOne(hookDeps, link.docker, registry, d, signal);
        }
      } finally {
        pool.release(serverId);
      }
    });

  return {
    service,
    settings,
    lock,
    watch,
    hooks,
    handlers: {
      ...createRollbackHandlers({ service, settings, apps: deploy.apps, lock, links: pool, servers: deps.servers, backfill }),
      ...withLiveCapability(
        { service, links: pool, connected: (serverId) => pool.status(serverId).state === 'connected' },
        deploy.handlers['deployments.list'],
        deploy.handlers['deployments.get'],
      ),
    },
    idle: () => background.idle(),
    close: async () => {
      await watch.close();
      await background.close();
    },
  };
}
