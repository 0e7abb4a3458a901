import type { Deployment } from '../../../shared/api/deployments';
import type { rollbackMethods } from '../../../shared/api/rollback';
import { deploymentView } from '../deploy/handlers';
import type { ServerLookup } from '../deploy/pipeline';
import type { AppStore } from '../apps/app-store';
import type { ServerLock } from '../locks/server-lock';
import type { Handler, HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import { withCapability } from './capability';
import type { RollbackService } from './rollback-service';
import type { RollbackSettingsStore } from './rollback-settings';

export interface RollbackHandlerDeps {
  service: RollbackService;
  settings: RollbackSettingsStore;
  apps: AppStore;
  lock: ServerLock;
  links: LinkProvider;
  servers: ServerLookup;
  /** Pushes the app's rollback points to its registry after one was set. */
  backfill(serverId: string, app: string): void;
}

/** How long a history read waits for the server before it shows the records without a live capability check. */
const CHECK_TIMEOUT_MS = 4000;

export function createRollbackHandlers(deps: RollbackHandlerDeps): HandlerGroup<keyof typeof rollbackMethods> {
  const { service, settings, apps, lock } = deps;
  const withLink = async <T>(serverId: string, work: (link: ServerLink) => Promise<T>): Promise<T> => {
    await deps.servers(serverId);
    const link = await deps.links.acquire(serverId);
    try {
      return await work(link);
    } finally {
      deps.links.release(serverId);
    }
  };
  return {
    'deployments.rollbackPlan': async (input) => withLink(input.serverId, (link) => service.plan(link, input)),
    'deployments.rollback': async (input) => deploymentView(await withLink(input.serverId, (link) => service.rollback(link, input, 'user'))),
    'deployments.rollbackPoints': async ({ serverId, app }) => {
      apps.get(serverId, app);
      return withLink(serverId, (link) => service.points(link, service.records(serverId, app)));
    },
    'deployments.pin': async ({ serverId, deploymentId, pinned }) => deploymentView(service.pin(serverId, deploymentId, pinned)),
    'deployments.note': async ({ serverId, deploymentId, text }) => deploymentView(service.note(serverId, deploymentId, text)),
    'deployments.deleteRollbackPoint': async ({ serverId, deploymentId }) => deploymentView(await withLink(serverId, (link) => service.deletePoint(link, deploymentId))),
    'deployments.lock': async ({ serverId, app }) => withLink(serverId, (link) => lock.holder(link, app)),
    'rollback.settings': async ({ serverId, app }) => {
      apps.get(serverId, app);
      return settings.view(serverId, app);
    },
    'rollback.updateSettings': async ({ serverId, app, patch }) => {
      apps.get(serverId, app);
      const updated = await settings.update(serverId, app, patch);
      if (patch.registry) deps.backfill(serverId, app);
      return updated;
    },
  };
}

/**
 * History reads with each release's rollback capability checked live ("is its image still somewhere?"). A server that
 * does not answer in time leaves the records as they are, so a history view never waits long.
 */
export function withLiveCapability(
  deps: Pick<RollbackHandlerDeps, 'service' | 'links'> & { connected(serverId: string): boolean },
  list: Handler<'deployments.list'>,
  get: Handler<'deployments.get'>,
): { 'deployments.list': Handler<'deployments.list'>; 'deployments.get': Handler<'deployments.get'> } {
  const decorate = async (serverId: string, records: Deployment[], fresh: boolean): Promise<Deployment[]> => {
    if (records.length === 0) return records;
    const leasing = deps.links.acquire(serverId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), CHECK_TIMEOUT_MS);
    });
    const checked = leasing
      .then(async (link) => {
        try {
          const points = await deps.service.points(link, records, { fresh });
          return new Map(points.map((p) => [p.deploymentId, p]));
        } finally {
          deps.links.release(serverId);
        }
      })
      .catch(() => null);
    const points = await Promise.race([checked, timeout]);
    clearTimeout(timer);
    return points ? records.map((d) => withCapability(d, points.get(d.id))) : records;
  };
  return {
    'deployments.list': async (input, ctx) => decorate(input.serverId, await list(input, ctx), true),
    // one record is polled often while a deployment runs: checked only on a server that is connected already, against
    // an image listing up to a moment old
    'deployments.get': async (input, ctx) => {
      const record = await get(input, ctx);
      return deps.connected(input.serverId) ? ((await decorate(input.serverId, [record], false))[0] as Deployment) : record;
    },
  };
}
