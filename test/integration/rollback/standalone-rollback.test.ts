import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, docker, httpGet, PROXY_PORTS, startLoad, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { containersOf, deployNow, envOf, hasImage, settled } from './support';

// Rollback on a plain Docker server (sandbox s1, through sshd): v1, v2 and v3 differ in env, port and health check.
const prefix = uniquePrefix('rb');
const app = `${prefix}-web`;
const host = `${app}.test`;
const port = PROXY_PORTS.s1;
let bed: DeployBed;
let serverId: string;
const v: Record<number, Deployment> = {};

const health = (intervalMs: number, retries: number) => ({ kind: 'http' as const, path: '/health', intervalMs, timeoutMs: 2000, retries, startPeriodMs: 0 });

/**
 * v1 to v3 listen on ports of their own, with their own greeting and health timing. Later versions keep v3's port:
 * a port change reloads the edge proxy, which is not what the automatic-rollback tests measure.
 */
async function release(n: number, extra: { env?: Array<{ key: string; value: string }>; command?: string[] | null } = {}): Promise<Deployment> {
  const listen = 8079 + Math.min(n, 3);
  await bed.call('apps.update', {
    serverId,
    name: app,
    patch: {
      build: { args: { VERSION: `v${n}` } },
      runtime: {
        httpPort: listen,
        healthCheck: health(200 + n * 100, 10 + n),
        command: extra.command ?? null,
        env: [{ key: 'GREETING', value: `hello-${n}` }, { key: 'PORT', value: String(listen) }, { key: 'TOKEN', value: `s3cr3t-${n}-${prefix}`, secret: true }, ...(extra.env ?? [])],
      },
    },
  });
  return deployNow(bed, serverId, app);
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', { serverId, name: app, source: { kind: 'folder', path: loadSandbox().fixtures.webApp }, runtime: { domains: [host] } });
  for (const n of [1, 2, 3]) {
    v[n] = await release(n);
    expect(v[n]?.status, v[n]?.error?.message).toBe('live');
  }
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('rolling back on a plain Docker server', () => {
  let rollback: Deployment;

  it('plans a rollback to v1 with the diff from the live v3, secret values masked', async () => {
    const plan = await bed.call('deployments.rollbackPlan', { serverId, app, target: 1, mode: 'exact' });
    expect(plan.capable).toBe(true);
    expect(plan.via).toBe('server');
    expect(plan.live?.id).toBe(v[3]?.id);
    expect(plan.image).toMatchObject({ from: { id: v[3]?.image?.id }, to: { id: v[1]?.image?.id }, changed: true });
    expect(plan.env).toEqual([
      { key: 'GREETING', change: 'changed', secret: false, from: 'hello-3', to: 'hello-1' },
      { key: 'PORT', change: 'changed', secret: false, from: '8082', to: '8080' },
      { key: 'TOKEN', change: 'changed', secret: true, from: null, to: null },
    ]);
    expect(plan.changes.map((c) => c.field)).toEqual(['httpPort', 'healthCheck']);
    expect(plan.notUndone.join(' ')).toMatch(/migrations/);
    expect(JSON.stringify(plan)).not.toContain('s3cr3t');
  });

  it("rolls back to v1: v1's image, env, port and health check run, and the record links v3 → v1", async () => {
    const load = startLoad(port, host);
    const queued = await bed.call('deployments.rollback', { serverId, app, target: v[1]?.id ?? '', mode: 'exact' });
    rollback = await settled(bed, serverId, queued);
    const stats = await load.stop();
    expect(rollback.status, rollback.error?.message).toBe('live');
    expect(rollback).toMatchObject({ kind: 'rollback', trigger: 'user', rolledBackFrom: v[3]?.id, target: v[1]?.id, seq: 4 });
    expect(rollback.image?.id).toBe(v[1]?.image?.id);
    expect(rollback.config.healthCheck).toEqual(v[1]?.config.healthCheck);
    expect(rollback.config.httpPort).toBe(8080);

    const [container] = await containersOf('s1', rollback.id);
    expect(container?.Image).toBe(v[1]?.image?.id);
    expect(envOf(container!)).toMatchObject({ GREETING: 'hello-1', PORT: '8080', TOKEN: `s3cr3t-1-${prefix}` });
    expect(container?.Config.Labels['berth.port']).toBe('8080');
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    expect(await httpGet(port, host, '/env')).toEqual({ status: 200, body: 'GREETING=hello-1\n' });
    expect((await bed.call('deployments.get', { serverId, deploymentId: v[3]?.id ?? '' })).status).toBe('superseded');
    console.log(`rollback under load: ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.bodies)}; switch ${rollback.switch?.durationMs} ms`);
  });

  it("plans a redeploy of v1 with the app's current config: only env, port and health differ from the live rollback", async () => {
    const plan = await bed.call('deployments.rollbackPlan', { serverId, app, target: 1, mode: 'redeploy' });
    expect(plan.image.changed).toBe(false);
    expect(plan.env).toEqual([
      { key: 'GREETING', change: 'changed', secret: false, from: 'hello-1', to: 'hello-3' },
      { key: 'PORT', change: 'changed', secret: false, from: '8080', to: '8082' },
      { key: 'TOKEN', change: 'changed', secret: true, from: null, to: null },
    ]);
    expect(plan.changes.map((c) => c.field)).toEqual(['httpPort', 'healthCheck']);
  });

  it("redeploys v1 with the current config: v1's image with v3's env", async () => {
    const queued = await bed.call('deployments.rollback', { serverId, app, target: String(v[1]?.seq), mode: 'redeploy' });
    const done = await settled(bed, serverId, queued);
    expect(done.status, done.error?.message).toBe('live');
    expect(done).toMatchObject({ kind: 'redeploy', target: v[1]?.id, rolledBackFrom: rollback.id });
    const [container] = await containersOf('s1', done.id);
    expect(container?.Image).toBe(v[1]?.image?.id);
    expect(envOf(container!)).toMatchObject({ GREETING: 'hello-3', PORT: '8082' });
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
    expect(await httpGet(port, host, '/env')).toEqual({ status: 200, body: 'GREETING=hello-3\n' });
    expect((await bed.call('deployments.get', { serverId, deploymentId: rollback.id })).status).toBe('superseded');
  });

  it('refuses a rollback to a release whose image is gone, with IMAGE_GONE, before anything changes', async () => {
    await docker('s1', ['rmi', '-f', v[2]?.image?.id ?? '']);
    const before = await bed.call('deployments.list', { serverId, app });
    const listed = before.find((d) => d.id === v[2]?.id);
    expect(listed).toMatchObject({ rollbackCapable: false });
    expect(listed?.rollbackReason).toMatch(/Redeploy from source/);
    const plan = await bed.call('deployments.rollbackPlan', { serverId, app, target: 2 });
    expect(plan).toMatchObject({ capable: false, refusal: { code: 'IMAGE_GONE' } });
    await expect(bed.call('deployments.rollback', { serverId, app, target: 2 })).rejects.toMatchObject({ code: 'IMAGE_GONE' });
    const after = await bed.call('deployments.list', { serverId, app });
    expect(after.map((d) => `${d.seq}:${d.status}`)).toEqual(before.map((d) => `${d.seq}:${d.status}`));
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v1\n' });
  });

  it('pulls a release back from the registry once one is set, and rolls back to it', async () => {
    const registry = loadSandbox().registry.address;
    const settings = await bed.call('rollback.updateSettings', { serverId, app, patch: { registry: { url: `http://${registry}/berth-it` } } });
    expect(settings.registry).toEqual({ url: `${registry}/berth-it`, username: null, passwordSet: false });
    await bed.engine.rollback.idle();
    const pushed = await bed.call('deployments.get', { serverId, deploymentId: v[3]?.id ?? '' });
    expect(pushed.image?.digest).toMatch(new RegExp(`^${registry}/berth-it/${app}@sha256:`));
    expect(pushed.push).toMatchObject({ state: 'pushed', registry: `${registry}/berth-it`, error: null });

    await docker('s1', ['rmi', '-f', v[3]?.image?.id ?? '']);
    expect(await hasImage('s1', v[3]?.image?.id ?? '')).toBe(false);
    const plan = await bed.call('deployments.rollbackPlan', { serverId, app, target: 3 });
    expect(plan).toMatchObject({ capable: true, via: 'registry' });
    const queued = await bed.call('deployments.rollback', { serverId, app, target: 3 });
    const done = await settled(bed, serverId, queued);
    expect(done.status, done.error?.message).toBe('live');
    const [container] = await containersOf('s1', done.id);
    expect(container?.Image).toBe(v[3]?.image?.id);
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v3\n' });
    const log = await bed.call('logs.deployment', { serverId, deploymentId: done.id });
    expect(log.lines.map((l) => l.text).join('\n')).toContain(`Pulling ${registry}/berth-it/${app}@sha256:`);
    // every release that goes live is pushed too, this rollback included (once its job has ended)
    await bed.engine.deploy.service.queue.idle();
    await bed.engine.rollback.idle();
    const tags = (await (await fetch(`http://${registry}/v2/berth-it/${app}/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags).toContain(String(done.seq));
  });

  it('rolls a release that fails its health check back automatically, with 0 failed requests, and keeps its probe log', async () => {
    const live = (await bed.call('deployments.list', { serverId, app })).find((d) => d.status === 'live');
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 300));
    const failed = await release(4, { env: [{ key: 'HEALTH', value: 'fail' }] });
    const stats = await load.stop();
    expect(failed.status).toBe('rolled-back');
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(failed.autoRollback).toMatchObject({ by: 'berth', phase: 'switch', revertedTo: live?.id });
    expect(failed.autoRollback?.probes.length).toBeGreaterThan(3);
    expect(failed.autoRollback?.probes.at(-1)).toMatchObject({ ok: false, detail: expect.stringContaining('404') });
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
    expect(Object.keys(stats.bodies)).toEqual(['v3']);
    expect((await bed.call('deployments.get', { serverId, deploymentId: live?.id ?? '' })).status).toBe('live');
    console.log(`auto-rollback at the switch: ${stats.ok} ok, ${stats.failed} failed`);
  });

  it('reverts a release that fails in the watch window after going live, recorded as an automatic rollback', async () => {
    await bed.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 30_000, watchFailures: 3 } });
    const before = (await bed.call('deployments.list', { serverId, app })).find((d) => d.status === 'live');
    const load = startLoad(port, host);
    await new Promise((r) => setTimeout(r, 300));
    // healthy at the switch, then its /health disappears
    const breaking = await release(5, { command: ['/bin/sh', '-c', '(sleep 2; rm -f /www/health) & exec /bin/sh /start.sh'] });
    expect(breaking.status, breaking.error?.message).toBe('live');
    const failed = await settled(bed, serverId, breaking, ['rolled-back'], 60_000);
    const revert = await settled(bed, serverId, failed.autoRollback?.rollbackId ?? '', ['live', 'failed']);
    await new Promise((r) => setTimeout(r, 300));
    const stats = await load.stop();
    expect(failed.autoRollback).toMatchObject({ by: 'berth', phase: 'watch', revertedTo: before?.id });
    expect(failed.autoRollback?.probes.at(-1)?.ok).toBe(false);
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(revert).toMatchObject({ status: 'live', kind: 'rollback', trigger: 'auto-rollback', target: before?.id, rolledBackFrom: breaking.id });
    expect(await httpGet(port, host)).toEqual({ status: 200, body: 'v3\n' });
    expect(stats.failed, stats.errors.join('\n')).toBe(0);
    expect(stats.bodies.v5).toBeGreaterThan(0);
    console.log(`auto-rollback in the watch window: ${stats.ok} ok, ${stats.failed} failed ${JSON.stringify(stats.bodies)}`);
  });
});
