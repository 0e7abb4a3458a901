import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, docker, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { hasImage, releaseVersion } from './support';

// Image retention on sandbox s1: keep the last N rollback points, never the live, a pinned or a used image.
const prefix = uniquePrefix('rr');
const app = `${prefix}-web`;
let bed: DeployBed;
let serverId: string;
const v: Record<number, Deployment> = {};

async function release(n: number): Promise<Deployment> {
  v[n] = await releaseVersion(bed, serverId, app, `${prefix}-v${n}`);
  return v[n];
}

const image = (n: number) => v[n]?.image?.id ?? '';
const record = (n: number) => bed.call('deployments.get', { serverId, deploymentId: v[n]?.id ?? '' });

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [`${app}.test`], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
  await bed.call('rollback.updateSettings', { serverId, app, patch: { keepLast: 2, watchMs: 0 } });
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('keeping the last rollback points', () => {
  it('with N=2, prunes the older images but not a pinned one nor the live one', async () => {
    await release(1);
    expect((await bed.call('deployments.pin', { serverId, deploymentId: v[1]?.id ?? '' })).pinned).toBe(true);
    for (const n of [2, 3, 4, 5]) await release(n);
    expect(await hasImage('s1', image(5))).toBe(true);
    expect(await hasImage('s1', image(4))).toBe(true);
    expect(await hasImage('s1', image(3))).toBe(true);
    expect(await hasImage('s1', image(2))).toBe(false);
    expect(await hasImage('s1', image(1))).toBe(true);
  });

  it('keeps the record of a pruned release, saying its image was removed and why it cannot be rolled back to', async () => {
    const pruned = await record(2);
    expect(pruned.imageRemoved?.by).toBe('retention');
    expect(pruned).toMatchObject({ rollbackCapable: false });
    expect(pruned.rollbackReason).toMatch(/removed from the server .*retention/);
    expect(await record(1)).toMatchObject({ rollbackCapable: true, rollbackVia: 'server', pinned: true });
    const points = await bed.call('deployments.rollbackPoints', { serverId, app });
    expect(points.filter((p) => p.capable).map((p) => p.seq)).toEqual([5, 4, 3, 1]);
  });

  it('keeps an image a container still uses, even past N', async () => {
    await docker('s1', ['create', '--name', `${prefix}-keeper`, image(3)]);
    await release(6);
    expect(await hasImage('s1', image(3))).toBe(true);
    expect(await hasImage('s1', image(4))).toBe(true);
    await docker('s1', ['rm', '-f', `${prefix}-keeper`]);
    await release(7);
    expect(await hasImage('s1', image(3))).toBe(false);
    expect(await hasImage('s1', image(1))).toBe(true);
  });

  it('deletes a rollback point by hand, after which a rollback to it is refused', async () => {
    const deleted = await bed.call('deployments.deleteRollbackPoint', { serverId, deploymentId: v[5]?.id ?? '' });
    expect(deleted.imageRemoved?.by).toBe('user');
    expect(await hasImage('s1', image(5))).toBe(false);
    await expect(bed.call('deployments.rollback', { serverId, app, target: 5 })).rejects.toMatchObject({ code: 'IMAGE_GONE', message: expect.stringMatching(/deleted by hand/) });
  });

  it('refuses to delete the live release or a pinned one', async () => {
    await expect(bed.call('deployments.deleteRollbackPoint', { serverId, deploymentId: v[7]?.id ?? '' })).rejects.toMatchObject({ message: expect.stringMatching(/is live/) });
    await expect(bed.call('deployments.deleteRollbackPoint', { serverId, deploymentId: v[1]?.id ?? '' })).rejects.toMatchObject({ message: expect.stringMatching(/pinned/) });
  });

  it('lets a release go once it is unpinned', async () => {
    await bed.call('deployments.pin', { serverId, deploymentId: v[1]?.id ?? '', pinned: false });
    await release(8);
    expect(await hasImage('s1', image(1))).toBe(false);
    expect((await record(1)).imageRemoved?.by).toBe('retention');
  });
});
