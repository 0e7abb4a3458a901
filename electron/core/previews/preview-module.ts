import type { previewsMethods } from '../../../shared/api/previews';
import type { DeployModule } from '../deploy/deploy-module';
import { deploymentView } from '../deploy/handlers';
import type { ServerLookup } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider } from '../ssh/server-link';
import { PreviewService, type RefLister } from './preview-service';

/** How often the desktop app and the web bridge look for previews whose branch is gone. */
export const PREVIEW_SWEEP_MS = 120_000;

export interface PreviewModuleDeps {
  deploy: DeployModule;
  links: LinkProvider;
  servers: ServerLookup;
  bus: EventBus;
  listRefs: RefLister;
}

export interface PreviewModule {
  service: PreviewService;
  handlers: HandlerGroup<keyof typeof previewsMethods>;
  /**
   * Checks every app with previews for branches gone from its remote, now and then every `intervalMs`, for as long
   * as the process runs (the desktop app, the web bridge); a one-shot command calls `previews.prune` instead.
   */
  startSweep(intervalMs: number): void;
  close(): Promise<void>;
}

export function createPreviewModule(deps: PreviewModuleDeps): PreviewModule {
  const service = new PreviewService({
    apps: deps.deploy.apps,
    store: deps.deploy.store,
    deployments: deps.deploy.service,
    links: deps.links,
    servers: deps.servers,
    bus: deps.bus,
    listRefs: deps.listRefs,
  });
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  const sweep = async (): Promise<void> => {
    for (const serverId of deps.deploy.store.servers()) {
      for (const app of service.parentsWithPreviews(serverId)) {
        // an unreachable remote or server removes nothing: the next sweep asks again
        await service.prune(serverId, app, false).catch(() => undefined);
      }
    }
  };
  const tick = (): void => {
    sweeping ??= sweep().finally(() => (sweeping = undefined));
  };
  return {
    service,
    handlers: {
      'previews.list': async ({ serverId, app }) => {
        await deps.servers(serverId);
        return service.list(serverId, app);
      },
      'previews.deploy': async (input) => {
        await deps.servers(input.serverId);
        return deploymentView(service.deploy(input).deployment);
      },
      'previews.remove': async ({ serverId, app, ref, dropRecords }) => service.remove(serverId, app, ref, dropRecords),
      'previews.prune': async ({ serverId, app, dropRecords }) => service.prune(serverId, app, dropRecords),
    },
    startSweep(intervalMs) {
      if (timer) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping;
    },
  };
}
