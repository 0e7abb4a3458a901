import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, docker, httpGet, PROXY_PORTS, startLoad, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('sw');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s2;
// Swarm runs this as the engine's HEALTHCHECK (busybox wget inside the image).
const health = { kind: 'http' as const, path: '/health', intervalMs: 500, timeoutMs: 2000, retries: 3, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;

async function deployVersion(version: string, env: Array<{ key: string; value: string }> = []) {
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } }, runtime: { env } } });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return bed.waitFor(serverId, queued.id, ['live', 'failed', 'rolled-back'], 120_000);
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s2;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [host], healthCheck: health },
  });
});

afterAll(async () => {
  await tearDownApp(bed, 's2', app, prefix);
});

describe('deploying to a Swarm manager', () => {
  let v1 = '';

  it('runs the app as a service with the health check, start-first updates and automatic rollback', async () => {
    const done = await deployVersion('v1');
    v1 = done.id;
    expect(done.error).toBeNull();
    expect(done.status).toBe('live');
    expect(done.runtime).toBe('swarm');
    const spec = JSON.parse(await docker('s2', ['service', 'inspect', app, '--format', '{{json .Spec}}'])) as {
      TaskTemplate: { ContainerSpec: { Healthcheck: { Test: string[] } } };
      UpdateConfig: { Order: string; FailureAction: string };
      Labels: Record<string, string>;
    };
    expect(spec.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback' });
    expect(spec.TaskTemplate.ContainerSpec.Healthcheck.Test.join(' ')).toContain('/health');
    expect(spec.Labels['berth.deployment']).toBe(done.id);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
  });

  it('updates to v2 under a steady request loop and supersedes v1', async () => {
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 500));
    const done = await deployVersion('v2');
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await load.stop();
    expect(done.status).toBe('live');
    expect(done.switch?.mode).toBe('swarm');
    expect((await bed.call('deployments.get', { serverId, deploymentId: v1 })).status).toBe('superseded');
    expect(stats.bodies.v2).toBeGreaterThan(0);
    console.log(`swarm update: ${stats.ok} ok, ${stats.failed} failed (${JSON.stringify(stats.bodies)}) ${stats.errors.slice(0, 3).join('; ')}`);
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
  });

  it('records a release whose health check fails as failed, rolled back by Swarm, with v2 still serving', async () => {
    const done = await deployVersion('v3', [{ key: 'HEALTH', value: 'fail' }]);
    // with the rollback engine wired in, a release Swarm rolled back ends "rolled-back" rather than "failed"
    expect(['failed', 'rolled-back']).toContain(done.status);
    expect(done.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(done.error?.message).toMatch(/rolled the service back/);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v2\n' });
    const spec = JSON.parse(await docker('s2', ['service', 'inspect', app, '--format', '{{json .Spec.Labels}}'])) as Record<string, string>;
    const live = (await bed.call('deployments.list', { serverId, app })).find((d) => d.status === 'live');
    expect(spec['berth.deployment']).toBe(live?.id);
  });
});
