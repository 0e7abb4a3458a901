import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../../shared/api';
import { createDeployBed, docker, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox, restartSshd } from '../../support/sandbox';

const prefix = uniquePrefix('ld');
const app = `${prefix}-web`;
let bed: DeployBed;
let serverId: string;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'image', image: loadSandbox().images.webPushed },
    runtime: { env: [{ key: 'GREETING', value: 'from-logs' }], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  await bed.waitFor(serverId, queued.id, ['live']);
});

afterAll(async () => {
  await tearDownApp(bed, 's1', app, prefix);
});

describe('runtime logs and drift', () => {
  it("follows an app's container logs, stdout apart, to the caller only, with a bounded backlog", async () => {
    const batches: Array<EventData<'logs.lines'>> = [];
    const ended: Array<EventData<'logs.ended'>> = [];
    const emit = ((topic: string, data: unknown) => {
      if (topic === 'logs.lines') batches.push(data as EventData<'logs.lines'>);
      if (topic === 'logs.ended') ended.push(data as EventData<'logs.ended'>);
    }) as never;
    const follow = await bed.call('logs.followApp', { serverId, app, tail: 100 }, { emit });
    expect(follow.containers).toEqual([`${app}-1-0`]);
    const line = await until('the start line', () => batches.flatMap((b) => b.lines).find((l) => l.text.includes('GREETING=from-logs')));
    expect(line).toMatchObject({ stream: 'stdout', container: `${app}-1-0` });
    expect(line.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const recent = await bed.call('logs.recent', { followId: follow.followId });
    expect(recent.lines.some((l) => l.text.includes('listening'))).toBe(true);
    expect(await bed.call('logs.unfollow', { followId: follow.followId })).toEqual({ stopped: true });
    await until('the end of the follow', () => ended.find((e) => e.followId === follow.followId));
    expect(bed.events('logs.lines')).toEqual([]);
  });

  it('reports a live release that is gone and a container Berth has no record of', async () => {
    await docker('s1', ['run', '-d', '--name', `${prefix}-ghost`, '--label', 'berth.managed=true', '--label', 'berth.role=app', '--label', `berth.app=${prefix}-ghost`, '--label', 'berth.deployment=ghost-1', 'berth-test/base:latest', 'sleep', '300']);
    const live = (await bed.call('deployments.list', { serverId, app })).find((d) => d.status === 'live');
    await docker('s1', ['rm', '-f', `${app}-1-0`]);
    const report = await bed.call('deployments.reconcile', { serverId });
    expect(report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'live-gone', app, deploymentId: live?.id }),
        expect.objectContaining({ kind: 'unknown-container', app: `${prefix}-ghost`, deploymentId: 'ghost-1' }),
      ]),
    );
    expect(bed.events('notifications.appDown').some((n) => n.app === app)).toBe(true);
  });

  it('checks the server again when its connection comes back', async () => {
    await bed.engine.pool.acquire(serverId);
    try {
      const before = bed.events('deployments.drift').length;
      await restartSshd('s1', { downMs: 300 });
      const report = await until('a reconciliation after the reconnect', () => bed.events('deployments.drift').slice(before).find((r) => r.serverId === serverId), 40_000);
      expect(report.items.some((i) => i.kind === 'live-gone' && i.app === app)).toBe(true);
    } finally {
      bed.engine.pool.release(serverId);
    }
  });
});
