import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, DeploymentStatus } from '../../../shared/api/deployments';
import { createDeployBed, docker, httpGet, prepareHome, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox, type SandboxServerName } from '../../support/sandbox';
import { berth, startBerth } from '../cli/harness';

// Each case: the real `berth deploy` in a process of its own, killed with SIGKILL at a phase, then a new engine on the
// same home must tell what really happened, with the release that served before still answering.
const prefix = uniquePrefix('kd');
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 200, startPeriodMs: 0 };
const inProgress: DeploymentStatus[] = ['queued', 'building', 'starting', 'health-checking'];
let home: string;
let knownHosts: string;
let bed: DeployBed;

const appOn = (server: SandboxServerName): string => `${prefix}-${server}`;
const hostOf = (server: SandboxServerName): string => `${appOn(server)}.test`;

/** The app's newest record, read by an engine that only looks (its reconciliation leaves live processes' records alone). */
async function newest(server: SandboxServerName): Promise<Deployment | undefined> {
  return (await bed.call('deployments.list', { serverId: bed.servers[server], app: appOn(server), limit: 1 }))[0];
}

/** Starts `berth deploy` and SIGKILLs it once its deployment reaches `status`; returns the deployment's id. */
async function deployAndKillAt(server: SandboxServerName, status: DeploymentStatus, seqBefore: number): Promise<string> {
  const child = startBerth(home, ['deploy', appOn(server), '--server', `sandbox-${server}`, '--no-watch'], { BERTH_KNOWN_HOSTS: knownHosts });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await newest(server);
    if (d && d.seq > seqBefore && d.status === status) {
      child.kill('SIGKILL');
      await exited;
      return d.id;
    }
    if (Date.now() > deadline) throw new Error(`the deployment never reached ${status} (newest: ${d?.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh engine on the same home, as the next `berth` command or the desktop app would be, once it reconciled. */
async function nextEngine(): Promise<DeployBed> {
  await bed.close();
  bed = await createDeployBed(home);
  await bed.engine.reconciled;
  return bed;
}

async function setVersion(server: SandboxServerName, patch: { source?: { kind: 'folder'; path: string }; version?: string; health?: 'ok' | 'fail' }): Promise<void> {
  await bed.call('apps.update', {
    serverId: bed.servers[server],
    name: appOn(server),
    patch: {
      source: patch.source ?? { kind: 'folder', path: loadSandbox().fixtures.webApp },
      build: { args: { VERSION: patch.version ?? 'v1' } },
      runtime: { env: patch.health === 'fail' ? [{ key: 'HEALTH', value: 'fail' }] : [] },
    },
  });
}

function slowBuild(): { kind: 'folder'; path: string } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-slow-`));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM berth-test/base:latest\nRUN sleep 10\n');
  return { kind: 'folder', path: dir };
}

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  for (const server of ['s1', 's2'] as const) {
    const serverId = bed.servers[server];
    await bed.call('apps.create', {
      serverId,
      name: appOn(server),
      source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
      build: { args: { VERSION: 'v1' } },
      runtime: { domains: [hostOf(server)], healthCheck: server === 's2' ? { ...health, retries: 3, intervalMs: 500 } : health },
    });
    const v1 = await bed.call('deployments.deploy', { serverId, app: appOn(server) });
    await bed.waitFor(serverId, v1.id, ['live'], 120_000);
  }
}, 240_000);

afterAll(async () => {
  for (const server of ['s1', 's2'] as const) await bed.call('apps.remove', { serverId: bed.servers[server], name: appOn(server) }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
  await removeByPrefix('s2', prefix);
});

describe('a CLI deploy killed with SIGKILL', () => {
  it('during the build is recorded interrupted, nothing stays in progress, v1 keeps serving (standalone)', async () => {
    await setVersion('s1', { source: slowBuild() });
    const before = (await newest('s1'))?.seq ?? 0;
    const id = await deployAndKillAt('s1', 'building', before);
    const engine = await nextEngine();
    const record = await engine.call('deployments.get', { serverId: engine.servers.s1, deploymentId: id });
    expect(record.status).toBe('interrupted');
    expect(record.error?.message).toMatch(/building/);
    expect((await engine.call('deployments.list', { serverId: engine.servers.s1, app: appOn('s1') })).filter((d) => inProgress.includes(d.status))).toEqual([]);
    expect(await httpGet(PROXY_PORTS.s1, hostOf('s1'))).toEqual({ status: 200, body: 'v1\n' });
  });

  it('during the health check removes what it started and keeps v1 live, as berth status says (standalone)', async () => {
    await setVersion('s1', { version: 'v2', health: 'fail' });
    const before = (await newest('s1'))?.seq ?? 0;
    const id = await deployAndKillAt('s1', 'health-checking', before);
    const engine = await nextEngine();
    const record = await engine.call('deployments.get', { serverId: engine.servers.s1, deploymentId: id });
    expect(record.status).toBe('interrupted');
    expect((await docker('s1', ['ps', '-a', '--filter', `label=berth.deployment=${id}`, '-q'])).trim()).toBe('');
    expect(await httpGet(PROXY_PORTS.s1, hostOf('s1'))).toEqual({ status: 200, body: 'v1\n' });
    await engine.close();
    const status = await berth(home, ['status', '--server', 'sandbox-s1', '--json'], { env: { BERTH_KNOWN_HOSTS: knownHosts } });
    const report = JSON.parse(status.stdout) as { servers: Array<{ apps: Array<{ name: string; live: { seq: number } | null }> }> };
    expect(report.servers[0]?.apps.find((a) => a.name === appOn('s1'))?.live?.seq).toBe(1);
    bed = await createDeployBed(home);
  });

  it('while Swarm updates the service is followed to its end and recorded live, the release before superseded', async () => {
    await setVersion('s2', { version: 'v2' });
    const v1 = (await newest('s2'))!;
    const id = await deployAndKillAt('s2', 'health-checking', v1.seq);
    const engine = await nextEngine();
    const record = await engine.call('deployments.get', { serverId: engine.servers.s2, deploymentId: id });
    expect(record.status).toBe('live');
    expect(record.note).toMatch(/reconciliation/);
    expect((await engine.call('deployments.get', { serverId: engine.servers.s2, deploymentId: v1.id })).status).toBe('superseded');
    const [live] = await engine.call('deployments.live', { serverId: engine.servers.s2, app: appOn('s2') });
    expect(live?.id).toBe(id);
    expect(await httpGet(PROXY_PORTS.s2, hostOf('s2'))).toEqual({ status: 200, body: 'v2\n' });
  });

  it('while Swarm updates to a release that fails its health check is recorded rolled back by Swarm, v2 serving', async () => {
    await setVersion('s2', { version: 'v3', health: 'fail' });
    const v2 = (await newest('s2'))!;
    const id = await deployAndKillAt('s2', 'health-checking', v2.seq);
    const engine = await nextEngine();
    const record = await engine.call('deployments.get', { serverId: engine.servers.s2, deploymentId: id });
    expect(record.status).toBe('rolled-back');
    expect(record.autoRollback?.by).toBe('swarm');
    expect((await engine.call('deployments.get', { serverId: engine.servers.s2, deploymentId: v2.id })).status).toBe('live');
    expect(await httpGet(PROXY_PORTS.s2, hostOf('s2'))).toEqual({ status: 200, body: 'v2\n' });
  });

  it('during the build on a Swarm manager leaves the service on the release before', async () => {
    await setVersion('s2', { source: slowBuild() });
    const before = (await newest('s2'))!;
    const id = await deployAndKillAt('s2', 'building', before.seq);
    const engine = await nextEngine();
    expect((await engine.call('deployments.get', { serverId: engine.servers.s2, deploymentId: id })).status).toBe('interrupted');
    const labels = JSON.parse(await docker('s2', ['service', 'inspect', appOn('s2'), '--format', '{{json .Spec.Labels}}'])) as Record<string, string>;
    const [live] = await engine.call('deployments.live', { serverId: engine.servers.s2, app: appOn('s2') });
    expect(labels['berth.deployment']).toBe(live?.id);
  });
});
