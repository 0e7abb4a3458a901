import type { appsMethods } from '../../../shared/api/apps';
import type { EventBus } from '../events/event-bus';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider } from '../ssh/server-link';
import { removeAppRuntime } from '../deploy/app-runtime';
import type { ServerLookup } from '../deploy/pipeline';
import { appView, type AppStore } from './app-store';
import { parseEnvFile } from './env-file';

/** Where other parts of the engine join an app's removal: previews go with the app they were made from. */
export interface AppHooks {
  removing?(serverId: string, name: string): Promise<void>;
}

export interface AppHandlerDeps {
  apps: AppStore;
  bus: EventBus;
  links: LinkProvider;
  servers: ServerLookup;
  hooks?: AppHooks;
}

export function createAppHandlers({ apps, bus, links, servers, hooks }: AppHandlerDeps): HandlerGroup<keyof typeof appsMethods> {
  const changed = (serverId: string, name: string, removed = false): void => bus.emit('apps.changed', { serverId, name, removed });
  return {
    'apps.list': async ({ serverId }) => {
      await servers(serverId);
      return apps.list(serverId).map(appView);
    },
    'apps.get': async ({ serverId, name }) => appView(apps.get(serverId, name)),
    'apps.create': async (input) => {
      await servers(input.serverId);
      const app = await apps.create(input);
      changed(app.serverId, app.name);
      return appView(app);
    },
    'apps.update': async ({ serverId, name, patch }) => {
      const app = await apps.update(serverId, name, patch);
      changed(serverId, name);
      return appView(app);
    },
    'apps.remove': async ({ serverId, name, keepRunning }) => {
      apps.get(serverId, name);
      await hooks?.removing?.(serverId, name);
      if (!keepRunning) {
        const server = await servers(serverId);
        const link = await links.acquire(serverId);
        try {
          await removeAppRuntime(link, server, name);
        } finally {
          links.release(serverId);
        }
      }
      const removed = apps.remove(serverId, name);
      changed(serverId, name, true);
      return { removed };
    },
    'apps.parseEnv': async ({ text }) => parseEnvFile(text),
    'apps.importEnv': async ({ serverId, name, text, secret }) => {
      const app = await apps.importEnv(serverId, name, text, secret);
      changed(serverId, name);
      return appView(app);
    },
  };
}
