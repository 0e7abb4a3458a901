import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, docker, httpGet, PROXY_PORTS, startLoad, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { deployNow, settled } from './support';

// Rollback on a Swarm manager (sandbox s2): the service is updated to the target's spec; a failed update is rolled
// back by Swarm itself (FailureAction rollback), which Berth detects and records.
const prefix = uniquePrefix('rs');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s2;
let bed: DeployBed;
let serverId: string;
const v: Record<number, Deployment> = {};

interface ServiceSpec {
  Labels: Record<string, string>;
  TaskTemplate: { ContainerSpec: { Image: string; Env: string[]; Args?: string[] } };
}

async function serviceSpec(): Promise<ServiceSpec> {
  return JSON.parse(await docker('s2', ['service', 'inspect', app, '--format', '{{json .Spec}}'])) as ServiceSpec;
}

async function release(n: number, extra: { env?: Array<{ key: string; value: string }>; command?: string[] | null } = {}): Promise<Deployment> {
  await bed.call('apps.update', {
    serverId,
    name: app,
    patch: {
      build: { args: { VERSION: `v${n}` } },
      runtime: { command: extra.command ?? null, env: [{ key: 'GREETING', value: `hello-${n}` }, ...(extra.env ?? [])] },
    },
  });
  return deployNow(bed, serverId, app, 120_000);
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s2;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    // Swarm runs this as the engine's HEALTHCHECK (busybox wget inside the image)
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 500, timeoutMs: 2000, retries: 3, startPeriodMs: 0 } },
  });
  for (const n of [1, 2]) {
    v[n] = await release(n);
    expect(v[n]?.status, v[n]?.error?.message).toBe('live');
  }
});

afterAll(async () => {
  await tearDownApp(bed, 's2', app, prefix);
});

describe('rolling back a Swarm service', () => {
  let rollback: Deployment;

  it("rolls back to v1: the service runs v1's image and env again, and the record links v2 → v1", async () => {
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 300));
    const queued = await bed.call('deployments.rollback', { serverId, app, target: 1 });
    rollback = await settled(bed, serverId, queued, ['live', 'failed', 'rolled-back'], 120_000);
    await new Promise((r) => setTimeout(r, 500));
    const stats = await load.stop();
    expect(rollback.status, rollback.error?.message).toBe('live');
    expect(rollback).toMatchObject({ kind: 'rollback', runtime: 'swarm', rolledBackFrom: v[2]?.id, target: v[1]?.id });
    const spec = await serviceSpec();
    expect(spec.Labels['berth.deployment']).toBe(rollback.id);
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe(`${app}:1`);
    expect(spec.TaskTemplate.ContainerSpec.Env).toContain('GREETING=hello-1');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    expect((await bed.call('deployments.get', { serverId, deploymentId: v[2]?.id ?? '' })).status).toBe('superseded');
    console.log(`swarm rollback under load: ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.bodies)} ${stats.errors.slice(0, 2).join('; ')}`);
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
  });

  it('records an update Swarm rolled back by itself as rolled back, with the health log, while v1 kept serving', async () => {
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 300));
    const failed = await release(3, { env: [{ key: 'HEALTH', value: 'fail' }] });
    await new Promise((r) => setTimeout(r, 500));
    const stats = await load.stop();
    expect(failed.status).toBe('rolled-back');
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(failed.autoRollback).toMatchObject({ by: 'swarm', phase: 'switch', revertedTo: rollback.id });
    expect((await serviceSpec()).Labels['berth.deployment']).toBe(rollback.id);
    expect((await bed.call('deployments.get', { serverId, deploymentId: rollback.id })).status).toBe('live');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    console.log(`swarm auto-rollback: ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.bodies)}; ${failed.autoRollback?.probes.length} probes kept`);
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
  });

  it('reverts a service whose tasks turn unhealthy in the watch window', async () => {
    await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 40_000, watchFailures: 3 } });
    const breaking = await release(4, { command: ['/bin/sh', '-c', '(sleep 3; rm -f /www/health) & exec /bin/sh /start.sh'] });
    expect(breaking.status, breaking.error?.message).toBe('live');
    const failed = await settled(bed, serverId, breaking, ['rolled-back'], 60_000);
    const revert = await settled(bed, serverId, failed.autoRollback?.rollbackId ?? '', ['live', 'failed'], 120_000);
    expect(failed.autoRollback).toMatchObject({ by: 'berth', phase: 'watch', revertedTo: rollback.id });
    expect(revert).toMatchObject({ status: 'live', trigger: 'auto-rollback', target: rollback.id });
    expect((await serviceSpec()).Labels['berth.deployment']).toBe(revert.id);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
  });
});
