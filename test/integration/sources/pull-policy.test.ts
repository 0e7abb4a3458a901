import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullPolicy } from '../../../shared/api/apps';
import { createDeployBed, docker, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox, setRegistry } from '../../support/sandbox';

// An image source with the registry stopped: what the server already holds deploys under "missing" (and "never"),
// "always" fails naming the image it could have used, and "never" refuses an image the server lacks.
const prefix = uniquePrefix('pull');
const app = `${prefix}-web`;
const host = `${app}.test`;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 20, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;
let image: string;

async function deployWith(pull: PullPolicy, ref = image) {
  await bed.call('apps.update', { serverId, name: app, patch: { source: { kind: 'image', image: ref, pull } } });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return bed.waitFor(serverId, queued.id, ['live', 'failed']);
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  // an image of this file's own in the registry, which s1 also holds: pushed from there
  image = `${loadSandbox().registry.address}/${prefix}/web:1`;
  await docker('s1', ['tag', `${loadSandbox().images.web}:1`, image]);
  await docker('s1', ['push', image]);
  await bed.call('apps.create', { serverId, name: app, source: { kind: 'image', image }, runtime: { domains: [host], healthCheck: health } });
  await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 0 } });
  await setRegistry('stop');
}, 120_000);

afterAll(async () => {
  await setRegistry('start');
  await bed?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
  await docker('s1', ['rmi', '-f', image]).catch(() => '');
});

describe('pull policy with the registry stopped', () => {
  it('deploys the image already on the server under missing, the default', async () => {
    expect((await bed.call('apps.get', { serverId, name: app })).source).toMatchObject({ pull: 'missing' });
    const done = await deployWith('missing');
    expect(done.error).toBeNull();
    expect(done.status).toBe('live');
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v1\n' });
    const log = await bed.call('logs.deployment', { serverId, deploymentId: done.id });
    expect(log.lines.map((l) => l.text).join('\n')).toContain(`${image} is already on ${serverId}`);
  });

  it('fails under always, naming the image on the server and the policy that would deploy it', async () => {
    const done = await deployWith('always');
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('IMAGE_PULL_FAILED');
    expect(done.error?.message).toMatch(/connection refused|dial tcp/);
    expect(done.error?.message).toContain('--pull missing');
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v1\n' });
  });

  it('refuses under never when the server lacks the image, and the live release keeps serving', async () => {
    const done = await deployWith('never', `${loadSandbox().registry.address}/${prefix}/web:absent`);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'IMAGE_MISSING', message: expect.stringContaining('pull policy is "never"') });
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v1\n' });
  });
});
