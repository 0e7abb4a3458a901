import type { Deployment, deploymentsMethods } from '../../../shared/api/deployments';
import { sourceView } from '../apps/git-credentials';
import type { Reconciler } from '../reconcile/reconciler';
import { isStale } from '../reconcile/reconcile-server';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider } from '../ssh/server-link';
import type { DeployService } from './deploy-service';
import { serverSeqFloor } from './seq-floor';
import type { ServerLookup } from './pipeline';

/** How long a read waits for a reconciliation pass under way before answering with the records marked as being checked. */
const READ_WAIT_MS = 3000;

export interface DeploymentHandlerDeps {
  service: DeployService;
  servers: ServerLookup;
  reconciler: Reconciler;
  links: LinkProvider;
}

/** Records leave the engine without sealed secret values (env, git credentials): a view shows only that one is set. */
export function deploymentView(d: Deployment): Deployment {
  return { ...d, source: { ...d.source, source: sourceView(d.source.source) }, config: { ...d.config, env: d.config.env.map(({ key, secret, value }) => ({ key, secret, value: secret ? null : value })) } };
}

export function createDeploymentHandlers({ service, servers, reconciler, links }: DeploymentHandlerDeps): HandlerGroup<keyof typeof deploymentsMethods> {
  // Records are read once reconciliation has had its say; a record still being checked says so instead of a guess.
  const checked = async (serverId: string): Promise<(d: Deployment) => Deployment> => {
    const settled = await reconciler.settled(serverId, READ_WAIT_MS);
    return (d) => (!settled && isStale(service, d) ? { ...deploymentView(d), reconciling: true } : deploymentView(d));
  };
  return {
    'deployments.deploy': async (input) => {
      await servers(input.serverId);
      return deploymentView(service.deploy(input, await serverSeqFloor(links, input.serverId, input.app), await service.archiveFor(input)));
    },
    'deployments.cancel': async ({ serverId, deploymentId }) => deploymentView(await service.cancel(serverId, deploymentId)),
    'deployments.list': async ({ serverId, app, limit, before }) => {
      const view = await checked(serverId);
      return service.list(serverId, { app, limit, before }).map(view);
    },
    'deployments.get': async ({ serverId, deploymentId }) => (await checked(serverId))(service.get(serverId, deploymentId)),
    'deployments.live': async ({ serverId, app }) => {
      const view = await checked(serverId);
      return service.liveReleases(serverId, app).map(view);
    },
    'deployments.queue': async ({ serverId }) => service.queued(serverId),
    'deployments.reconcile': async ({ serverId }) => {
      await servers(serverId);
      return reconciler.report(serverId);
    },
  };
}
