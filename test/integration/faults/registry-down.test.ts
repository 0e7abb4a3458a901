import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, httpGet, prepareHome, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox, setRegistry } from '../../support/sandbox';
import { berth } from '../cli/harness';

// The app's registry stopped while a deploy runs: the release goes live, the record says the push failed and why,
// and once the registry is back the next deploy pushes both releases.
const prefix = uniquePrefix('rd');
const app = `${prefix}-web`;
const host = `${app}.test`;
let home: string;
let knownHosts: string;
let bed: DeployBed;
let registry: string;

async function deployWithCli(version: string): Promise<{ code: number | null; record: Deployment; stderr: string }> {
  await bed.call('apps.update', { serverId: bed.servers.s1, name: app, patch: { build: { args: { VERSION: version } } } });
  const run = await berth(home, ['deploy', app, '--server', 'sandbox-s1', '--no-watch', '--json'], { env: { BERTH_KNOWN_HOSTS: knownHosts }, timeoutMs: 180_000 });
  return { code: run.code, record: JSON.parse(run.stdout) as Deployment, stderr: run.stderr };
}

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  registry = `${loadSandbox().registry.address}/${prefix}`;
  await bed.call('apps.create', {
    serverId: bed.servers.s1,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 50, startPeriodMs: 0 } },
  });
  await bed.call('rollback.updateSettings', { serverId: bed.servers.s1, app, patch: { registry: { url: registry }, watchMs: 0 } });
}, 120_000);

afterAll(async () => {
  await setRegistry('start');
  await bed.call('apps.remove', { serverId: bed.servers.s1, name: app }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
});

describe('the registry down during a deploy', () => {
  let v2: Deployment;

  it('leaves the release live and records that its push failed, with the reason', async () => {
    await setRegistry('stop');
    const run = await deployWithCli('v2');
    v2 = run.record;
    expect(run.code, run.stderr).toBe(0);
    expect(v2.status).toBe('live');
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v2\n' });
    expect(v2.push).toMatchObject({ state: 'failed', registry, attempts: 4, error: { code: 'REGISTRY_ERROR' } });
    expect(v2.push?.error?.message).toMatch(/connection refused|dial tcp/);
    expect(run.stderr).toMatch(new RegExp(`${app} #${v2.seq} is live but was not pushed to ${registry}`));
    const history = await berth(home, ['history', app, '--server', 'sandbox-s1'], { env: { BERTH_KNOWN_HOSTS: knownHosts } });
    expect(history.stdout).toMatch(/push failed: REGISTRY_ERROR/);
  });

  it('pushes the new release and the one that failed once the registry is back', async () => {
    await setRegistry('start');
    const run = await deployWithCli('v3');
    expect(run.code, run.stderr).toBe(0);
    expect(run.record.push).toMatchObject({ state: 'pushed', error: null });
    expect(run.record.image?.digest).toMatch(new RegExp(`^${registry}/${app}@sha256:`));
    const earlier = await bed.call('deployments.get', { serverId: bed.servers.s1, deploymentId: v2.id });
    expect(earlier.push).toMatchObject({ state: 'pushed', error: null });
    expect(earlier.image?.digest).toMatch(new RegExp(`^${registry}/${app}@sha256:`));
  });
});
