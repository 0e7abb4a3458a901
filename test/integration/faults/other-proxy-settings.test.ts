import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, docker, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

// A second Berth (another home, another laptop) whose entry for s1 names another proxy port and an image no registry
// has: the server's proxy stays as it is, every app keeps answering, and that Berth is told its settings differ.
const prefix = uniquePrefix('op');
const mineApp = `${prefix}-a`;
const theirApp = `${prefix}-b`;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 50, startPeriodMs: 0 };
const otherSettings = { httpPort: 18099, image: `${prefix}/no-such-proxy:1`, bindAddress: '127.0.0.1' };
let mine: DeployBed;
let theirs: DeployBed;

async function deploy(bed: DeployBed, app: string): Promise<void> {
  const queued = await bed.call('deployments.deploy', { serverId: bed.servers.s1, app });
  const done = await bed.waitFor(bed.servers.s1, queued.id, ['live', 'failed'], 120_000);
  expect(done.error).toBeNull();
}

beforeAll(async () => {
  mine = await createDeployBed();
  theirs = await createDeployBed();
  await theirs.call('servers.update', { serverId: theirs.servers.s1, patch: { proxy: otherSettings } });
  for (const [bed, app] of [[mine, mineApp], [theirs, theirApp]] as const) {
    await bed.call('apps.create', { serverId: bed.servers.s1, name: app, source: { kind: 'folder', path: loadSandbox().fixtures.webApp }, runtime: { domains: [`${app}.test`], healthCheck: health } });
  }
  await deploy(mine, mineApp);
}, 180_000);

afterAll(async () => {
  await theirs.call('apps.remove', { serverId: theirs.servers.s1, name: theirApp }).catch(() => undefined);
  await mine.call('apps.remove', { serverId: mine.servers.s1, name: mineApp }).catch(() => undefined);
  await theirs.close();
  await mine.close();
  await removeByPrefix('s1', prefix);
}, 60_000);

describe('a second Berth with other proxy settings for the same server', () => {
  it('deploys through the proxy the server has, leaving it and every app serving', async () => {
    await deploy(theirs, theirApp);
    expect(await httpGet(PROXY_PORTS.s1, `${mineApp}.test`)).toEqual({ status: 200, body: 'v1\n' });
    expect(await httpGet(PROXY_PORTS.s1, `${theirApp}.test`)).toEqual({ status: 200, body: 'v1\n' });
    expect((await docker('s1', ['ps', '--filter', 'name=berth-proxy', '--format', '{{.Ports}}'])).trim()).toBe(`127.0.0.1:${PROXY_PORTS.s1}->8080/tcp`);
  }, 180_000);

  it('is told its settings differ, the server keeping its own', async () => {
    const health = await theirs.call('servers.health', { serverId: theirs.servers.s1 });
    expect(health.proxySettings).toMatchObject({ onServer: { httpPort: PROXY_PORTS.s1, image: loadSandbox().images.haproxy }, mine: otherSettings, differs: ['httpPort', 'image'] });
    expect(health.proxy.state).toBe('warning');
    expect(health.proxy.fix).toContain('berth server proxy apply');
    expect(health.ok).toBe(true);
  });

  it('keeps the old proxy serving when asked to apply an image that cannot be pulled', async () => {
    await expect(theirs.call('servers.applyProxy', { serverId: theirs.servers.s1 })).rejects.toMatchObject({ code: 'IMAGE_PULL_FAILED' });
    expect(await httpGet(PROXY_PORTS.s1, `${mineApp}.test`)).toEqual({ status: 200, body: 'v1\n' });
    expect(await httpGet(PROXY_PORTS.s1, `${theirApp}.test`)).toEqual({ status: 200, body: 'v1\n' });
    const mineHealth = await mine.call('servers.health', { serverId: mine.servers.s1 });
    expect(mineHealth.proxySettings.differs).toEqual([]);
    expect(mineHealth.apps.find((a) => a.app === mineApp)?.state).toBe('ok');
  });
});
