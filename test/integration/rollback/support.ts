import { expect } from 'vitest';
/** What the rollback suites share: reading containers and services as Docker reports them, and versioned deploys. */
import type { Deployment } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { createEngine, type Engine, type EngineOptions } from '../../../electron/core/engine';
import { docker, writeKnownHosts, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox, type SandboxServerName } from '../../support/sandbox';

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
export async function settled(bed: Pick<DeployBed, 'waitFor'>, serverId: string, d: Deployment | string, statuses: Deployment['status'][] = ['live', 'failed', 'rolled-back'], timeoutMs = 90_000): Promise<Deployment> {
  return bed.waitFor(serverId, typeof d === 'string' ? d : d.id, statuses, timeoutMs);
}

/** Deploys the app's current definition and waits for it to end. */
export async function deployNow(bed: DeployBed, serverId: string, app: string, timeoutMs = 90_000): Promise<Deployment> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return settled(bed, serverId, queued, ['live', 'failed', 'rolled-back', 'cancelled'], timeoutMs);
}

/**
 * Builds and deploys the app with VERSION set to a string of this run only (so no other app or earlier run shares the
 * image), expects it live, and waits for its job to end: retention and the registry push run after "live".
 */
export async function releaseVersion(bed: DeployBed, serverId: string, app: string, version: string): Promise<Deployment> {
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } } } });
  const done = await deployNow(bed, serverId, app);
  expect(done.status, done.error?.message).toBe('live');
  await bed.engine.deploy.service.queue.idle();
  return done;
}

/** An engine of its own (its own home and lock identity) with the sandbox servers added, for the two-laptop tests. */
export async function createEngineWith(
  home: string,
  lock: NonNullable<EngineOptions['lock']>,
): Promise<{ engine: Engine; call: DeployBed['call']; waitFor: DeployBed['waitFor']; servers: DeployBed['servers'] }> {
  process.env.BERTH_KNOWN_HOSTS = writeKnownHosts(home);
  const engine = createEngine({ home, lock });
  const controller = new AbortController();
  const call: DeployBed['call'] = async (method, input) => {
    const outcome = await engine.dispatcher.call(method, input, { clientId: 'test', signal: controller.signal, emit: (topic, data) => engine.bus.emit(topic, data) });
    if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
    return outcome.value as never;
  };
  const listed = await call('servers.list', {});
  const servers = {} as DeployBed['servers'];
  for (const s of loadSandbox().servers) {
    const found = listed.find((e) => e.name === `sandbox-${s.name}`);
    if (!found) throw new Error(`${home} has no server sandbox-${s.name}`);
    servers[s.name] = found.id;
  }
  const waitFor: DeployBed['waitFor'] = async (serverId, deploymentId, statuses, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = await call('deployments.get', { serverId, deploymentId });
      if (statuses.includes(d.status)) return d;
      if (Date.now() > deadline) throw new Error(`deployment ${deploymentId} is ${d.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { engine, call, waitFor, servers };
}
