import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockHolder } from '../../../shared/api/rollback';
import type { Engine } from '../../../electron/core/engine';
import { lockPaths } from '../../../electron/core/locks/lock-script';
import { ServerLock } from '../../../electron/core/locks/server-lock';
import type { ServerLink } from '../../../electron/core/ssh/server-link';
import { createDeployBed, httpGet, PROXY_PORTS, uniquePrefix, type DeployBed, tearDownApp } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { createEngineWith, deployNow, settled } from './support';

// The server-side deploy lock on sandbox s1, reached through sshd: between two locks, and between two engines with
// their own data dirs (two laptops) rolling back the same app at once.
const prefix = uniquePrefix('rl');
const app = `${prefix}-web`;
const host = `${app}.test`;
let bed: DeployBed;
let serverId: string;
let link: ServerLink;
const engines: Engine[] = [];

const alice = () => new ServerLock({ owner: 'alice', host: 'laptop-a', pid: 101 });
const bob = () => new ServerLock({ owner: 'bob', host: 'laptop-b', pid: 202 });
const timing = { ttlMs: 3000, operation: 'test' };

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  link = await bed.engine.pool.acquire(serverId);
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 } },
  });
});

afterAll(async () => {
  bed?.engine.pool.release(serverId);
  for (const engine of engines) await engine.close();
  await tearDownApp(bed, 's1', app, prefix);
});

describe('the deploy lock on the server', () => {
  it('refuses a second holder at once, naming the owner, host and pid of the first', async () => {
    const held = await alice().acquire(link, `${app}-a`, { ...timing, waitMs: 0 });
    await expect(bob().acquire(link, `${app}-a`, { ...timing, waitMs: 0 })).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/^alice on laptop-a \(pid 101\) holds the deploy lock/),
    });
    expect(await bob().holder(link, `${app}-a`)).toMatchObject({ owner: 'alice', host: 'laptop-a', pid: 101, operation: 'test' });
    expect(await bed.call('deployments.lock', { serverId, app: `${app}-a` })).toMatchObject({ owner: 'alice', expiresAt: expect.any(String) });
    await held.release();
    expect(await bob().holder(link, `${app}-a`)).toBeNull();
    expect(await bed.call('deployments.lock', { serverId, app: `${app}-a` })).toBeNull();
  });

  it('lets a waiting holder in as soon as the first releases', async () => {
    const held = await alice().acquire(link, `${app}-b`, { ...timing, waitMs: 0 });
    const waited: LockHolder[] = [];
    setTimeout(() => void held.release(), 700);
    const started = Date.now();
    const second = await bob().acquire(link, `${app}-b`, { ...timing, waitMs: 10_000, onWait: (h) => waited.push(h) });
    expect(Date.now() - started).toBeGreaterThan(600);
    expect(waited.map((h) => h.owner)).toEqual(['alice']);
    await second.release();
  });

  it('renews the lock while it is held, past its time to live', async () => {
    const held = await alice().acquire(link, `${app}-c`, { ...timing, ttlMs: 2000, waitMs: 0 });
    await new Promise((r) => setTimeout(r, 3500));
    await expect(bob().acquire(link, `${app}-c`, { ...timing, waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
    await held.release();
  });

  it('takes over a stale lock once it expires by itself', async () => {
    const daemon = ((await link.docker.info()) as { ID: string }).ID;
    const { dir, file } = lockPaths(daemon, `${app}-d`);
    // what a Berth that died mid-deploy leaves behind: a lock nobody renews, expiring in 2 s
    await link.exec(`mkdir -p "${dir}" && printf 'token=dead\\nowner=ghost\\nhost=gone\\npid=9\\noperation=deploy #7\\nstarted=%s\\nexpires=%s\\n' "$(date +%s)" "$(( $(date +%s) + 2 ))" > "${file}"`);
    const waited: LockHolder[] = [];
    const held = await bob().acquire(link, `${app}-d`, { ...timing, waitMs: 10_000, onWait: (h) => waited.push(h) });
    expect(waited[0]).toMatchObject({ owner: 'ghost', operation: 'deploy #7' });
    expect(await alice().holder(link, `${app}-d`)).toMatchObject({ owner: 'bob' });
    await held.release();
  });
});

describe('two engines with their own data dirs', () => {
  it('never roll back the same app at once: one is refused with the owner of the other', async () => {
    for (const n of [1, 2]) {
      await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: `v${n}` } } } });
      expect((await deployNow(bed, serverId, app)).status).toBe('live');
    }
    await bed.engine.deploy.service.queue.idle();
    // a second laptop that knows the same history
    const homeB = mkdtempSync(join(tmpdir(), 'berth-laptop-b-'));
    cpSync(bed.home, homeB, { recursive: true });
    const laptopA = await createEngineWith(bed.home, { lockOwner: 'alice-laptop', lockWaitMs: 0 });
    const laptopB = await createEngineWith(homeB, { lockOwner: 'bob-laptop', lockWaitMs: 0 });
    engines.push(laptopA.engine, laptopB.engine);

    const [fromA, fromB] = await Promise.all([
      laptopA.call('deployments.rollback', { serverId, app, target: 1 }),
      laptopB.call('deployments.rollback', { serverId, app, target: 1 }),
    ]);
    const doneA = await settled(laptopA, serverId, fromA, ['live', 'failed']);
    const doneB = await settled(laptopB, serverId, fromB, ['live', 'failed']);
    const outcomes = [doneA, doneB].map((d) => d.status).sort();
    expect(outcomes).toEqual(['failed', 'live']);
    const [winner, loser] = doneA.status === 'live' ? [doneA, doneB] : [doneB, doneA];
    const winnerOwner = winner === doneA ? 'alice-laptop' : 'bob-laptop';
    expect(loser.error?.code).toBe('LOCKED');
    expect(loser.error?.message).toContain(`${winnerOwner} on `);
    expect(loser.error?.message).toContain(`rollback #${winner.seq}`);
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v1\n' });
  });
});
