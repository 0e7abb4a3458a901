import type { autoDeployMethods } from '../../../shared/api/auto-deploy';
import type { DeployModule } from '../deploy/deploy-module';
import type { ServerLookup } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider } from '../ssh/server-link';
import type { HomeStore } from '../store/home-store';
import type { SecretStore } from '../store/secret-store';
import { AutoDeployService } from './auto-deploy-service';
import { AutoDeployStore } from './auto-deploy-store';

/** How often a long-running engine looks for watched apps whose interval has passed. */
export const AUTO_DEPLOY_TICK_MS = 5000;

export interface AutoDeployModuleDeps {
  home: HomeStore;
  deploy: DeployModule;
  links: LinkProvider;
  servers: ServerLookup;
  secrets: SecretStore;
  bus: EventBus;
}

export interface AutoDeployModule {
  service: AutoDeployService;
  handlers: HandlerGroup<keyof typeof autoDeployMethods>;
  close(): Promise<void>;
}

export function createAutoDeployModule(deps: AutoDeployModuleDeps): AutoDeployModule {
  const records = new AutoDeployStore(deps.home);
  const service = new AutoDeployService({
    records,
    apps: deps.deploy.apps,
    deployments: deps.deploy.service,
    releases: deps.deploy.store,
    links: deps.links,
    secrets: deps.secrets,
    bus: deps.bus,
  });
  // an app removed takes its watch along; one added again later starts unwatched
  const unsubscribe = deps.bus.on('apps.changed', ({ serverId, name, removed }) => {
    if (removed) records.remove(serverId, name);
  });
  const known = async (serverId: string, app: string): Promise<void> => {
    await deps.servers(serverId);
    deps.deploy.apps.get(serverId, app);
  };
  return {
    service,
    handlers: {
      'autoDeploy.get': async ({ serverId, app }) => {
        await known(serverId, app);
        return service.status(serverId, app);
      },
      'autoDeploy.set': async ({ serverId, app, settings }) => {
        await known(serverId, app);
        return service.set(serverId, app, settings);
      },
      'autoDeploy.pause': async ({ serverId, app }) => service.pause(serverId, app),
      'autoDeploy.resume': async ({ serverId, app }) => service.resume(serverId, app),
      'autoDeploy.check': async ({ serverId, app }) => {
        await known(serverId, app);
        return service.check(serverId, app);
      },
    },
    async close() {
      unsubscribe();
      await service.stop();
    },
  };
}
