import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, docker, httpGet, PROXY_PORTS, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('qc');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s1;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;

/** A build context whose build runs until it is stopped. */
function slowContext(): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-slow-`));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM berth-test/base:latest\nRUN echo building slowly && sleep 120\n');
  return dir;
}

async function useSource(path: string, version = 'v1'): Promise<void> {
  await bed.call('apps.update', { serverId, name: app, patch: { source: { kind: 'folder', path }, build: { args: { VERSION: version } } } });
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: { domains: [host], healthCheck: health },
  });
  const v1 = await bed.call('deployments.deploy', { serverId, app });
  await bed.waitFor(serverId, v1.id, ['live']);
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('the deployment queue', () => {
  it('cancels a long build, stops it on the server and keeps the live version serving', async () => {
    await useSource(slowContext());
    const queued = await bed.call('deployments.deploy', { serverId, app });
    await bed.waitFor(serverId, queued.id, ['building']);
    const deadline = Date.now() + 30_000;
    while (!(await bed.call('logs.deployment', { serverId, deploymentId: queued.id })).lines.some((l) => l.text.includes('building slowly'))) {
      if (Date.now() > deadline) throw new Error('the slow build never started its RUN step');
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = Date.now();
    const cancelled = await bed.call('deployments.cancel', { serverId, deploymentId: queued.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error?.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    // the daemon stops the build once its request is gone
    const buildDeadline = Date.now() + 20_000;
    while ((await docker('s1', ['ps', '--format', '{{.Command}}'])).includes('sleep 120')) {
      if (Date.now() > buildDeadline) throw new Error('the cancelled build still runs on the server');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('cancels a release during its health check, removing its new container and keeping the live version', async () => {
    await bed.call('apps.update', {
      serverId,
      name: app,
      patch: {
        source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
        build: { args: { VERSION: 'never' } },
        runtime: { env: [{ key: 'HEALTH', value: 'fail' }], healthCheck: { ...health, retries: 200 } },
      },
    });
    const queued = await bed.call('deployments.deploy', { serverId, app });
    await bed.waitFor(serverId, queued.id, ['health-checking']);
    const cancelled = await bed.call('deployments.cancel', { serverId, deploymentId: queued.id });
    expect(cancelled.status).toBe('cancelled');
    expect((await docker('s1', ['ps', '-a', '--filter', `label=berth.deployment=${queued.id}`, '-q'])).trim()).toBe('');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    await bed.call('apps.update', { serverId, name: app, patch: { runtime: { env: [], healthCheck: health } } });
  });

  it('runs two deployments of one app one after the other, in the order they were asked for', async () => {
    await useSource(loadSandbox().fixtures.webApp, 'v2');
    const first = await bed.call('deployments.deploy', { serverId, app });
    const second = await bed.call('deployments.deploy', { serverId, app });
    const queue = await bed.call('deployments.queue', { serverId });
    expect(queue.map((d) => d.id)).toEqual([first.id, second.id]);
    expect(queue[1]?.status).toBe('queued');
    const a = await bed.waitFor(serverId, first.id, ['live', 'superseded', 'failed']);
    const b = await bed.waitFor(serverId, second.id, ['live', 'failed']);
    expect(b.status).toBe('live');
    expect((await bed.call('deployments.get', { serverId, deploymentId: a.id })).status).toBe('superseded');
    expect(Date.parse(b.timestamps.building ?? '')).toBeGreaterThanOrEqual(Date.parse(a.finishedAt ?? ''));
    expect(b.seq).toBe(a.seq + 1);
  });

  it('takes a waiting deployment out of the queue when it is cancelled, without running it', async () => {
    await useSource(slowContext());
    const running = await bed.call('deployments.deploy', { serverId, app });
    const waiting = await bed.call('deployments.deploy', { serverId, app });
    const cancelled = await bed.call('deployments.cancel', { serverId, deploymentId: waiting.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.timestamps.building).toBeUndefined();
    await bed.call('deployments.cancel', { serverId, deploymentId: running.id });
    const left = (await bed.call('deployments.queue', { serverId })).filter((d) => d.app === app);
    expect(left, JSON.stringify({ left, running: running.id, waiting: waiting.id })).toEqual([]);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v2\n' });
  });
});
