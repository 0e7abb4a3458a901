import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerHealth } from '../../../shared/api/servers';
import { createDeployBed, docker, httpGet, prepareHome, PROXY_PORTS, tearDownApp, uniquePrefix, type DeployBed, type HttpAnswer } from '../../support/deploy-bed';
import { loadSandbox, restartDockerd } from '../../support/sandbox';
import { berth } from '../cli/harness';

// s1's dockerd goes down with an app live on it: `berth status` must say so (and never call the app live), and once
// Docker is back the proxy and the app serve again by themselves, and the next deploy works.
const prefix = uniquePrefix('dr');
const app = `${prefix}-web`;
const host = `${app}.test`;
let home: string;
let knownHosts: string;
let bed: DeployBed;

async function deploy(version: string): Promise<void> {
  const serverId = bed.servers.s1;
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } } } });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
  expect(done.error).toBeNull();
}

/** Polls the app through s1's proxy until it answers (a restarted daemon takes a moment to start containers again). */
async function answerWithin(ms: number): Promise<HttpAnswer> {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await httpGet(PROXY_PORTS.s1, host).catch(() => null);
    if (answer?.status === 200 || Date.now() > deadline) return answer ?? { status: 0, body: '' };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function statusOf(stdout: string): ServerHealth {
  return (JSON.parse(stdout) as { servers: Array<{ health: ServerHealth }> }).servers[0]!.health;
}

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  await bed.call('apps.create', {
    serverId: bed.servers.s1,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 50, startPeriodMs: 0 } },
  });
  // no watch window: a release probed while its container restarts with the daemon is the watch's own case
  await bed.call('rollback.updateSettings', { serverId: bed.servers.s1, app, patch: { watchMs: 0 } });
  await deploy('v1');
}, 180_000);

afterAll(async () => {
  await restartDockerd('s1', 'start');
  await tearDownApp(bed, 's1', app, prefix);
}, 120_000);

describe("a restart of the server's dockerd with an app live", () => {
  it('is reported by berth status as Docker down, exit 4, with the app unchecked and never live', async () => {
    await restartDockerd('s1', 'stop');
    const run = await berth(home, ['status', '--server', 'sandbox-s1'], { env: { BERTH_KNOWN_HOSTS: knownHosts } });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/Docker\s+✕ down\s+Docker does not answer/);
    expect(run.stdout).toContain('fix: Start the Docker daemon');
    expect(run.stdout).toMatch(new RegExp(`app ${app}\\s+○ unchecked`));
    expect(run.stdout).not.toMatch(/● ok\s+#\d/);

    const json = await berth(home, ['status', '--server', 'sandbox-s1', '--json'], { env: { BERTH_KNOWN_HOSTS: knownHosts } });
    const health = statusOf(json.stdout);
    expect(health).toMatchObject({ ok: false, ssh: { state: 'ok' }, docker: { state: 'down' }, proxy: { state: 'unchecked' } });
    expect(health.apps.map((a) => a.state)).toEqual(['unchecked']);
  }, 60_000);

  it('brings the proxy and the app back by themselves once Docker is up again', async () => {
    await restartDockerd('s1', 'start');
    const answer = await answerWithin(30_000);
    const health = await bed.call('servers.health', { serverId: bed.servers.s1 });
    expect(answer).toEqual({ status: 200, body: 'v1\n' });
    expect(health).toMatchObject({ ok: true, docker: { state: 'ok' }, proxy: { state: 'ok' } });
    expect(health.apps.find((a) => a.app === app)).toMatchObject({ state: 'ok', running: 1, expected: 1 });
  }, 60_000);

  it('lets the next deploy go live', async () => {
    await deploy('v2');
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v2\n' });
  }, 180_000);
});

describe('an edge proxy found stopped', () => {
  it('is started again, with its routes, when Berth next connects', async () => {
    await docker('s1', ['stop', '-t', '1', 'berth-proxy']);
    const down = await bed.call('servers.health', { serverId: bed.servers.s1 });
    expect(down.proxy.state).toBe('down');
    await bed.close();
    bed = await createDeployBed(home);
    await bed.call('servers.connect', { serverId: bed.servers.s1 });
    expect(await answerWithin(30_000)).toEqual({ status: 200, body: 'v2\n' });
  }, 60_000);
});
