import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentSummary } from '../../../shared/api/deployments';
import { createDeployBed, docker, httpGet, prepareHome, PROXY_PORTS, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('cr');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s1;
let home: string;
let knownHosts: string;
let serverId: string;
let bed: DeployBed | undefined;

/** Runs the engine in a child process, asks it to deploy, and SIGKILLs it once the deployment reaches `status`. */
async function deployAndKillAt(status: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', resolve('test/support/engine-child.ts'), home, serverId, app], {
    env: { ...process.env, BERTH_KNOWN_HOSTS: knownHosts },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise((r) => child.once('exit', r));
  let id = '';
  for await (const line of lines) {
    const change = JSON.parse(line) as DeploymentSummary;
    if (change.app !== app) continue;
    id = change.id;
    if (change.status === status) break;
  }
  child.kill('SIGKILL');
  await exited;
  return id;
}

async function restartEngine(): Promise<DeployBed> {
  await bed?.close();
  bed = await createDeployBed(home);
  await bed.engine.reconciled;
  return bed;
}

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 200, startPeriodMs: 0 } },
  });
  const v1 = await bed.call('deployments.deploy', { serverId, app });
  await bed.waitFor(serverId, v1.id, ['live']);
  await bed.close();
  bed = undefined;
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('an engine killed mid-deploy', () => {
  it('leaves a deployment that was health-checking interrupted with the reason, its container removed, v1 serving', async () => {
    const setup = await createDeployBed(home);
    await setup.call('apps.update', { serverId, name: app, patch: { runtime: { env: [{ key: 'HEALTH', value: 'fail' }] } } });
    await setup.close();

    const id = await deployAndKillAt('health-checking');
    expect((await docker('s1', ['ps', '--filter', `label=berth.deployment=${id}`, '-q'])).trim()).not.toBe('');

    const engine = await restartEngine();
    const record = await engine.call('deployments.get', { serverId, deploymentId: id });
    expect(record.status).toBe('interrupted');
    expect(record.error?.code).toBe('INTERRUPTED');
    expect(record.error?.message).toMatch(/health-checking/);
    expect(record.finishedAt).not.toBeNull();
    expect((await docker('s1', ['ps', '-a', '--filter', `label=berth.deployment=${id}`, '-q'])).trim()).toBe('');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    const drift = engine.events('deployments.drift').find((r) => r.serverId === serverId);
    expect(drift?.items.some((i) => i.kind === 'interrupted' && i.deploymentId === id)).toBe(true);
  });

  it('leaves a deployment that was building interrupted, never in progress', async () => {
    const slow = mkdtempSync(join(tmpdir(), `${prefix}-slow-`));
    writeFileSync(join(slow, 'Dockerfile'), 'FROM berth-test/base:latest\nRUN sleep 60\n');
    await bed?.close();
    bed = undefined;
    const setup = await createDeployBed(home);
    await setup.call('apps.update', { serverId, name: app, patch: { source: { kind: 'folder', path: slow } } });
    await setup.close();

    const id = await deployAndKillAt('building');
    const engine = await restartEngine();
    const record = await engine.call('deployments.get', { serverId, deploymentId: id });
    expect(record.status).toBe('interrupted');
    expect(record.error?.message).toMatch(/building/);
    expect((await engine.call('deployments.list', { serverId, app })).filter((d) => ['queued', 'building', 'starting', 'health-checking'].includes(d.status))).toEqual([]);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
  });
});
