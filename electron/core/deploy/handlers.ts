import type { Deployment, deploymentsMethods, ReconcileReport } from '../../../shared/api/deployments';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { DeployService } from './deploy-service';
import type { ServerLookup } from './pipeline';

export interface DeploymentHandlerDeps {
  service: DeployService;
  servers: ServerLookup;
  reconcile(serverId: string): Promise<ReconcileReport>;
}

/** Records leave the engine without sealed secret values: a view shows only that a secret is set. */
export function deploymentView(d: Deployment): Deployment {
  return { ...d, config: { ...d.config, env: d.config.env.map(({ key, secret, value }) => ({ key, secret, value: secret ? null : value })) } };
}

export function createDeploymentHandlers({ service, servers, reconcile }: DeploymentHandlerDeps): HandlerGroup<keyof typeof deploymentsMethods> {
  return {
    'deployments.deploy': async (input) => {
      await servers(input.serverId);
      return deploymentView(service.deploy(input));
    },
    'deployments.cancel': async ({ serverId, deploymentId }) => deploymentView(await service.cancel(serverId, deploymentId)),
    'deployments.list': async ({ serverId, app, limit, before }) => service.list(serverId, { app, limit, before }).map(deploymentView),
    'deployments.get': async ({ serverId, deploymentId }) => deploymentView(service.get(serverId, deploymentId)),
    'deployments.queue': async ({ serverId }) => service.queued(serverId),
    'deployments.reconcile': async ({ serverId }) => {
      await servers(serverId);
      return reconcile(serverId);
    },
  };
}
