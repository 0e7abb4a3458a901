/** What the rollback suites share: reading containers and services as Docker reports them, and versioned deploys. */
import type { Deployment } from '../../../shared/api/deployments';
import { docker, type DeployBed } from '../../support/deploy-bed';
import type { SandboxServerName } from '../../support/sandbox';

export interface ContainerView {
  Id: string;
  Image: string;
  Name: string;
  Config: { Env: string[]; Labels: Record<string, string>; Cmd: string[] | null };
  State: { Running: boolean };
}

/** The running containers of one deployment, inspected through the sandbox daemon's own CLI. */
export async function containersOf(server: SandboxServerName, deploymentId: string): Promise<ContainerView[]> {
  const ids = (await docker(server, ['ps', '-q', '--filter', `label=berth.deployment=${deploymentId}`])).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  return JSON.parse(await docker(server, ['inspect', ...ids])) as ContainerView[];
}

export function envOf(container: ContainerView): Record<string, string> {
  return Object.fromEntries(container.Config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Whether the daemon still has an image (by ID or reference). */
export async function hasImage(server: SandboxServerName, ref: string): Promise<boolean> {
  return docker(server, ['image', 'inspect', ref]).then(
    () => true,
    () => false,
  );
}

/** Waits until a deployment reaches one of the statuses; `deployments.get` is the engine's own view. */
export async function settled(bed: DeployBed, serverId: string, d: Deployment | string, statuses: Deployment['status'][] = ['live', 'failed', 'rolled-back'], timeoutMs = 90_000): Promise<Deployment> {
  return bed.waitFor(serverId, typeof d === 'string' ? d : d.id, statuses, timeoutMs);
}

/** Deploys the app's current definition and waits for it to end. */
export async function deployNow(bed: DeployBed, serverId: string, app: string, timeoutMs = 90_000): Promise<Deployment> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return settled(bed, serverId, queued, ['live', 'failed', 'rolled-back', 'cancelled'], timeoutMs);
}
