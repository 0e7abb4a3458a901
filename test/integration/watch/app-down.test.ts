import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppUptime } from '../../../shared/api/uptime';
import type { ServerHealth } from '../../../shared/api/servers';
import { createDeployBed, docker, httpGet, prepareHome, PROXY_PORTS, tearDownApp, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth } from '../cli/harness';

// The app-down watch of a long-lived engine over sshd: a deploy and a rollback raise nothing, a container killed by
// hand is announced down with its exit code (and `berth status` says the same from another process), and started
// again it is announced back up.
const prefix = uniquePrefix('down');
const app = `${prefix}-web`;
const host = `${app}.test`;
let bed: DeployBed;
let serverId: string;
let home: string;
let knownHosts: string;

async function uptime(): Promise<AppUptime | undefined> {
  return (await bed.call('uptime.list', { serverId })).find((u) => u.app === app);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function deploy(kind: 'deploy' | 'rollback', target?: number): Promise<void> {
  const queued = kind === 'deploy' ? await bed.call('deployments.deploy', { serverId, app }) : await bed.call('deployments.rollback', { serverId, app, target: target ?? 1 });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
  expect(done.error).toBeNull();
}

const notices = () => bed.events('notifications.appDown').filter((n) => n.app === app);
const backUp = () => bed.events('notifications.appUp').filter((n) => n.app === app);

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home, { uptime: { intervalMs: 1000, track: { looks: 2, confirmMs: 1500 } } });
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'image', image: `${loadSandbox().images.web}:1`, pull: 'never' },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 20, startPeriodMs: 0 } },
  });
  await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 0 } });
  await deploy('deploy');
  await until('the first look', async () => (await uptime())?.state === 'up');
}, 120_000);

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('the app-down watch', () => {
  it('raises nothing during a deploy, its switch and a rollback', async () => {
    await deploy('deploy');
    await deploy('rollback', 1);
    // a few looks after the last switch
    await new Promise((r) => setTimeout(r, 3000));
    expect(notices()).toEqual([]);
    expect(await uptime()).toMatchObject({ state: 'up', seq: 3 });
  });

  it('announces a container killed by hand as down with its exit code, as berth status says', async () => {
    const live = (await bed.call('deployments.live', { serverId, app }))[0];
    await docker('s1', ['kill', live?.containers[0] ?? 'none']);
    const notice = await until('app down', async () => notices()[0]);
    expect(notice).toMatchObject({ serverId, app, seq: 3 });
    expect(notice.message).toContain('exited with code 137');
    expect(await uptime()).toMatchObject({ state: 'down', reason: 'exited with code 137' });

    const status = await berth(home, ['status', '--server', 'sandbox-s1', '--json'], { env: { BERTH_KNOWN_HOSTS: knownHosts } });
    expect(status.code, status.stderr).toBe(1);
    const health = (JSON.parse(status.stdout) as { servers: Array<{ health: ServerHealth }> }).servers[0]?.health;
    expect(health?.apps.find((a) => a.app === app)).toMatchObject({ state: 'down', reason: 'exited with code 137' });
  });

  it('announces it back up once it is started again', async () => {
    const live = (await bed.call('deployments.live', { serverId, app }))[0];
    await docker('s1', ['start', live?.containers[0] ?? 'none']);
    const notice = await until('back up', async () => backUp()[0]);
    expect(notice.message).toMatch(/is back up after \d+ s down/);
    expect(await uptime()).toMatchObject({ state: 'up', reason: null });
    // HAProxy's own checks may take the restarted container out for a moment: it serves again within seconds
    await until('the proxy serving it', async () => (await httpGet(PROXY_PORTS.s1, host)).status === 200, 10_000);
    expect(notices()).toHaveLength(1);
  });
});
