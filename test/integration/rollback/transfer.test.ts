import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, docker, httpGet, PROXY_PORTS, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { containersOf, hasImage, settled, releaseVersion } from './support';

// Registry-less rollback on sandbox s1: the image comes back from another server (s2) or from this computer's cache.
const prefix = uniquePrefix('rt');
const app = `${prefix}-web`;
const host = `${app}.test`;
let bed: DeployBed;
let serverId: string;
const v: Record<number, Deployment> = {};

async function release(n: number): Promise<Deployment> {
  v[n] = await releaseVersion(bed, serverId, app, `${prefix}-v${n}`);
  return v[n];
}

/** `docker save` on s1 piped into `docker load` on s2, as an admin would copy an image by hand. */
async function copyToS2(imageId: string): Promise<void> {
  const [s1, s2] = loadSandbox().servers;
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) =>
    execFile('bash', ['-c', `DOCKER_HOST=${s1?.dockerHost} /usr/bin/docker save ${imageId} | DOCKER_HOST=${s2?.dockerHost} /usr/bin/docker load -q`], (error) => (error ? reject(error) : resolve())),
  );
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
  await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 0 } });
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
  for (const d of Object.values(v)) if (d.image) await docker('s2', ['rmi', '-f', d.image.id]).catch(() => '');
});

describe('rolling back without a registry', () => {
  it('copies the image from another server that has it (save → load over SSH)', async () => {
    await release(1);
    await release(2);
    await copyToS2(v[1]?.image?.id ?? '');
    await docker('s1', ['rmi', '-f', v[1]?.image?.id ?? '']);
    await bed.call('servers.connect', { serverId: bed.servers.s2 });

    const plan = await bed.call('deployments.rollbackPlan', { serverId, app, target: 1 });
    expect(plan).toMatchObject({ capable: true, via: 'other-server' });
    const done = await settled(bed, serverId, await bed.call('deployments.rollback', { serverId, app, target: 1 }));
    expect(done.status, done.error?.message).toBe('live');
    expect((await containersOf('s1', done.id))[0]?.Image).toBe(v[1]?.image?.id);
    expect(await hasImage('s1', `${app}:1`)).toBe(true);
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: `${prefix}-v1\n` });
  });

  it("loads the image from this computer's cache when no server has it any more", async () => {
    await bed.call('rollback.updateSettings', { serverId, app, patch: { cacheOnLaptop: true } });
    await release(3);
    await bed.engine.rollback.idle();
    const cached = join(bed.home, 'image-cache', serverId, app, `${v[3]?.image?.id.slice(7)}.tar`);
    expect(existsSync(cached)).toBe(true);
    await release(4);
    await docker('s1', ['rmi', '-f', v[3]?.image?.id ?? '']);

    const listed = (await bed.call('deployments.list', { serverId, app })).find((d) => d.id === v[3]?.id);
    expect(listed).toMatchObject({ rollbackCapable: true, rollbackVia: 'laptop-cache' });
    const done = await settled(bed, serverId, await bed.call('deployments.rollback', { serverId, app, target: v[3]?.id ?? '' }));
    expect(done.status, done.error?.message).toBe('live');
    expect((await containersOf('s1', done.id))[0]?.Image).toBe(v[3]?.image?.id);
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: `${prefix}-v3\n` });
  });
});
