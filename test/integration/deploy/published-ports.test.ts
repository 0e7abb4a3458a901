import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('pp');
const app = `${prefix}-web`;
const port = 18093;
let bed: DeployBed;
let serverId: string;

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: {
      httpPort: null,
      published: [{ container: 8080, published: port, hostIp: '127.0.0.1' }],
      healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 },
    },
  });
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('an app that publishes a port on the server instead of using the proxy', () => {
  it('answers on its published port', async () => {
    const queued = await bed.call('deployments.deploy', { serverId, app });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(await httpGet(port, 'localhost')).toEqual({ status: 200, body: 'v1\n' });
  });

  it('stops the old version before starting the new one, and records the measured gap', async () => {
    await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: 'v2' } } } });
    const queued = await bed.call('deployments.deploy', { serverId, app });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.status).toBe('live');
    expect(done.switch?.mode).toBe('stop-first');
    expect(done.switch?.gapMs).toBeGreaterThan(0);
    expect(await httpGet(port, 'localhost')).toEqual({ status: 200, body: 'v2\n' });
  });

  it('refuses replicas that would have to share the published port', async () => {
    await bed.call('apps.update', { serverId, name: app, patch: { runtime: { replicas: 2 } } });
    const queued = await bed.call('deployments.deploy', { serverId, app });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error?.message).toMatch(/cannot share/);
    expect(await httpGet(port, 'localhost')).toEqual({ status: 200, body: 'v2\n' });
  });
});
