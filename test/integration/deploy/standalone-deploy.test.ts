import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, PROXY_PORTS, startLoad, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('sd');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s1;
let bed: DeployBed;
let serverId: string;

const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };

async function deploy(): Promise<string> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return queued.id;
}

async function setVersion(version: string, extraEnv: Array<{ key: string; value: string }> = []): Promise<void> {
  await bed.call('apps.update', {
    serverId,
    name: app,
    patch: {
      source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
      build: { args: { VERSION: version } },
      runtime: { env: [{ key: 'GREETING', value: 'hello' }, { key: 'TOKEN', value: `s3cr3t-${prefix}`, secret: true }, ...extraEnv] },
    },
  });
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: { httpPort: 8080, domains: [host], healthCheck: health },
  });
  await setVersion('v1');
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('deploying a local-folder app on a plain Docker server', () => {
  let v1: string;

  it('builds it, starts it behind the edge proxy and records it live', async () => {
    v1 = await deploy();
    const done = await bed.waitFor(serverId, v1, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.status).toBe('live');
    expect(done.image?.tag).toBe(`${app}:${done.seq}`);
    expect(done.image?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(done.runtime).toBe('standalone');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
  });

  it('gives the container its env, with the secret opened only inside it', async () => {
    expect((await httpGet(port, host, '/env')).body).toBe('GREETING=hello\n');
    const record = await bed.call('deployments.get', { serverId, deploymentId: v1 });
    const token = record.config.env.find((e) => e.key === 'TOKEN');
    expect(token).toEqual({ key: 'TOKEN', secret: true, value: null });
    const raw = JSON.stringify(bed.engine.deploy.store.get(serverId, v1));
    expect(raw).not.toContain(`s3cr3t-${prefix}`);
  });

  it('switches to v2 under a steady request loop without a failed request, and supersedes v1', async () => {
    await setVersion('v2');
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 500));
    const v2 = await deploy();
    const done = await bed.waitFor(serverId, v2, ['live', 'failed']);
    await new Promise((r) => setTimeout(r, 500));
    const stats = await load.stop();
    expect(done.status).toBe('live');
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
    expect(stats.bodies.v1).toBeGreaterThan(0);
    expect(stats.bodies.v2).toBeGreaterThan(0);
    expect((await bed.call('deployments.get', { serverId, deploymentId: v1 })).status).toBe('superseded');
    expect(done.switch?.mode).toBe('proxy');
    expect(done.switch?.gapMs).toBe(0);
    console.log(`zero-downtime switch: ${stats.ok} ok, ${stats.failed} failed (${JSON.stringify(stats.bodies)}), switch ${done.switch?.durationMs} ms`);
  });

  it('fails a release whose health check fails, with the reason, and keeps the live one serving', async () => {
    await setVersion('v3', [{ key: 'HEALTH', value: 'fail' }]);
    const load = startLoad(port, host);
    const id = await deploy();
    const done = await bed.waitFor(serverId, id, ['live', 'failed', 'rolled-back']);
    const stats = await load.stop();
    // with the rollback engine wired in, a release that never took traffic ends "rolled-back": v1 kept it
    expect(['failed', 'rolled-back']).toContain(done.status);
    expect(done.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(done.error?.message).toMatch(/404/);
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
    expect(Object.keys(stats.bodies)).toEqual(['v2']);
    expect(bed.events('notifications.healthCheckFailed').some((n) => n.deploymentId === id)).toBe(true);
  });

  it('fails a build whose step fails, from the build stream, and keeps the live one serving', async () => {
    const broken = mkdtempSync(join(tmpdir(), `${prefix}-broken-`));
    writeFileSync(join(broken, 'Dockerfile'), 'FROM berth-test/base:latest\nRUN echo about to fail && exit 3\n');
    await bed.call('apps.update', { serverId, name: app, patch: { source: { kind: 'folder', path: broken } } });
    const id = await deploy();
    const done = await bed.waitFor(serverId, id, ['live', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('BUILD_FAILED');
    expect(done.error?.message).toMatch(/exit code: 3/);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v2\n' });
    const log = await bed.call('logs.deployment', { serverId, deploymentId: id });
    expect(log.lines.some((l) => l.text.includes('about to fail'))).toBe(true);
  });

  it('keeps build and deploy output in a timestamped log file without secrets', async () => {
    const list = await bed.call('deployments.list', { serverId, app });
    const live = list.find((d) => d.status === 'live');
    expect(live).toBeDefined();
    const log = await bed.call('logs.deployment', { serverId, deploymentId: live?.id ?? '' });
    expect(log.lines.length).toBeGreaterThan(3);
    expect(log.lines[0]?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(log.lines.map((l) => l.text).join('\n')).not.toContain(`s3cr3t-${prefix}`);
  });

  it('switches back and forth eight times under load without a failed request', async () => {
    const load = startLoad(port, host, { loops: 6 });
    for (let round = 0; round < 8; round++) {
      await setVersion(`r${round}`);
      const done = await bed.waitFor(serverId, await deploy(), ['live', 'failed']);
      expect(done.status).toBe('live');
    }
    await new Promise((r) => setTimeout(r, 300));
    const stats = await load.stop();
    console.log(`eight switches: ${stats.ok} ok, ${stats.failed} failed`);
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
    expect(Object.keys(stats.bodies).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'v2'].filter((v) => stats.bodies[v] !== undefined));
    expect(stats.bodies.r7).toBeGreaterThan(0);
  }, 180_000);
});
