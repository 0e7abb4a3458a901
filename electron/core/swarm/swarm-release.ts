import type Docker from 'dockerode';
import { BerthError } from '../../../shared/errors';
import { asBerthError, isNotFound } from '../deploy/docker-util';
import { abortableSleep } from '../deploy/health-probe';
import { LABEL } from '../deploy/labels';
import type { ReleaseOutcome, ReleaseRun } from '../deploy/release-run';
import { EdgeProxy, SWARM_NETWORK } from '../proxy/edge-proxy';
import { backendName } from '../proxy/haproxy-config';
import { serviceSpec } from './service-spec';
import { describeFailedTasks, readUpdate, type UpdateVerdict } from './update-status';

const POLL_MS = 250;
const ROUTED_TIMEOUT_MS = 20_000;

/**
 * Runs a release as a Swarm service: created, or updated start-first with automatic rollback, with the health check
 * as the engine's own HEALTHCHECK. Berth then reads the service's update status until Swarm has decided, and
 * reports what Swarm did (a rollback is a failure with its reason, never a success).
 */
export async function runSwarmRelease(run: ReleaseRun): Promise<ReleaseOutcome> {
  const docker = run.link.docker;
  await run.phase('starting');
  const proxy = new EdgeProxy(run.link, run.proxy, true);
  await proxy.ensure();

  const image = run.image.digest && !run.image.digest.startsWith('sha256:') ? run.image.digest : run.image.tag;
  const spec = serviceSpec(run, run.config, { image, env: run.env, network: SWARM_NETWORK });
  const existing = await inspectService(docker, run.app);
  const previousDeployment = existing?.Spec?.Labels?.[LABEL.deployment] ?? null;
  const serverNow = Date.parse(((await docker.info()) as { SystemTime?: string }).SystemTime ?? '') || Date.now();
  const started = Date.now();

  if (existing) {
    run.log.info(`Updating service ${run.app} (start-first, rolls back by itself if the new tasks fail)`);
    await docker
      .getService(existing.ID)
      .update({ _query: { version: existing.Version?.Index }, _body: spec } as unknown as Docker.ServiceSpec)
      .catch((error: unknown) => {
        throw asBerthError(error, 'START_FAILED', `Could not update service ${run.app}`);
      });
  } else {
    run.log.info(`Creating service ${run.app}`);
    await docker.createService(spec as Docker.CreateServiceOptions).catch((error: unknown) => {
      throw asBerthError(error, 'START_FAILED', `Could not create service ${run.app}`);
    });
  }
  await run.started({ slot: null, containers: [] });
  if (run.config.httpPort !== null) await proxy.sync();

  await run.phase('health-checking');
  const timeoutMs = 60_000 + run.config.replicas * (run.config.healthCheck.startPeriodMs + (run.config.healthCheck.retries + 2) * run.config.healthCheck.intervalMs);
  let verdict: UpdateVerdict;
  try {
    verdict = await watchService(docker, run, existing !== undefined, serverNow, timeoutMs);
  } catch (error) {
    if (run.signal.aborted) await abandon(docker, run, existing !== undefined);
    throw error;
  }
  if (verdict.state === 'failed') {
    const reason = await describeFailedTasks(docker, run.app, run.deploymentId);
    if (!existing) await removeService(docker, run.app);
    const code = /unhealthy|health/i.test(reason + verdict.message) ? 'HEALTH_CHECK_FAILED' : 'START_FAILED';
    const rolledBack = existing ? ' Swarm rolled the service back to the previous version, which keeps serving.' : '';
    throw new BerthError(code, `The new tasks failed: ${reason || verdict.message}.${rolledBack}`, { swarm: verdict.message, rolledBack: Boolean(existing) });
  }
  // live means answering through the proxy: a new service's tasks are routed once HAProxy has resolved and checked them
  if (run.config.httpPort !== null) await proxy.runtime.waitAnyUp(backendName(run.app), ROUTED_TIMEOUT_MS, run.signal);
  const containers = await taskContainers(docker, run.app, run.deploymentId);
  const durationMs = Date.now() - started;
  run.log.info(`Service ${run.app} is up to date (${containers.length} task${containers.length === 1 ? '' : 's'}) in ${durationMs} ms`);
  return {
    retire: async () => {
      if (run.config.httpPort !== null) await proxy.persist();
    },
    runtime: 'swarm',
    slot: null,
    containers,
    switch: { mode: 'swarm', startedAt: new Date(started).toISOString(), durationMs, gapMs: 0 },
    replaced: previousDeployment && previousDeployment !== run.deploymentId ? [previousDeployment] : [],
  };
}

async function watchService(docker: Docker, run: ReleaseRun, updating: boolean, serverNow: number, timeoutMs: number): Promise<UpdateVerdict> {
  const deadline = Date.now() + timeoutMs;
  let lastNote = '';
  for (;;) {
    if (run.signal.aborted) throw new BerthError('CANCELLED', 'Cancelled while Swarm was updating the service.');
    const service = await docker.getService(run.app).inspect();
    const tasks = await docker.listTasks({ filters: { service: [run.app] } });
    const verdict = readUpdate(service, tasks, { updating, since: serverNow - 2000, deploymentId: run.deploymentId, replicas: run.config.replicas });
    if (verdict.note !== lastNote) {
      run.log.info(verdict.note);
      lastNote = verdict.note;
    }
    if (verdict.state !== 'pending') return verdict;
    if (Date.now() > deadline) {
      return { state: 'failed', message: `Swarm did not finish within ${Math.round(timeoutMs / 1000)} s`, note: '' };
    }
    await abortableSleep(POLL_MS, run.signal);
  }
}

/** Cancel: a first deployment's service goes away; an update is rolled back to the previous spec. */
async function abandon(docker: Docker, run: ReleaseRun, updating: boolean): Promise<void> {
  if (!updating) {
    await removeService(docker, run.app);
    return;
  }
  const service = await docker.getService(run.app).inspect();
  if (service.Spec?.Labels?.[LABEL.deployment] !== run.deploymentId) return;
  run.log.info('Rolling the service back to the previous version.');
  await docker
    .getService(service.ID)
    .update({ _query: { version: service.Version?.Index, rollback: 'previous' }, _body: service.Spec } as unknown as Docker.ServiceSpec)
    .catch(() => undefined);
}

type ServiceInfo = Awaited<ReturnType<Docker.Service['inspect']>>;

async function inspectService(docker: Docker, name: string): Promise<ServiceInfo | undefined> {
  try {
    return await docker.getService(name).inspect();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw asBerthError(error, 'DOCKER_ERROR', `Could not inspect service ${name}`);
  }
}

export async function removeService(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getService(name).remove();
  } catch (error) {
    if (!isNotFound(error)) throw asBerthError(error, 'DOCKER_ERROR', `Could not remove service ${name}`);
  }
}

async function taskContainers(docker: Docker, app: string, deploymentId: string): Promise<string[]> {
  const tasks = await docker.listTasks({ filters: { service: [app], 'desired-state': ['running'] } });
  return tasks
    .filter((t) => t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] === deploymentId)
    .map((t) => t.Status?.ContainerStatus?.ContainerID)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}
