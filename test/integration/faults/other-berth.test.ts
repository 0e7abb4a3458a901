import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

// Two Berths with homes of their own (two laptops) deploy the same app on s1; the one whose release was replaced
// must not keep calling it live.
const prefix = uniquePrefix('ob');
const app = `${prefix}-web`;
const host = `${app}.test`;
let mine: DeployBed;
let theirs: DeployBed;

async function deploy(bed: DeployBed, version: string): Promise<string> {
  const serverId = bed.servers.s1;
  await bed.call('apps.update', { serverId, name: app, patch: { build: { args: { VERSION: version } } } });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return (await bed.waitFor(serverId, queued.id, ['live'], 120_000)).id;
}

beforeAll(async () => {
  mine = await createDeployBed();
  theirs = await createDeployBed();
  for (const bed of [mine, theirs]) {
    await bed.call('apps.create', {
      serverId: bed.servers.s1,
      name: app,
      source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
      runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 50, startPeriodMs: 0 } },
    });
  }
}, 60_000);

afterAll(async () => {
  await theirs.call('apps.remove', { serverId: theirs.servers.s1, name: app }).catch(() => undefined);
  await theirs.close();
  await mine.close();
  await removeByPrefix('s1', prefix);
});

describe('a deployment made by another Berth', () => {
  it('steps my live record down, naming who replaced it, when I next look', async () => {
    const v1 = await deploy(mine, 'v1');
    const v2 = await deploy(theirs, 'v2');
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v2\n' });
    const labels = execFileSync('/usr/bin/docker', ['-H', loadSandbox().servers[0]!.dockerHost, 'ps', '--filter', `label=berth.deployment=${v2}`, '--format', '{{.Label "berth.owner"}}']).toString().trim();
    expect(labels).toBe(`${userInfo().username}@${hostname()}`);

    await mine.call('deployments.reconcile', { serverId: mine.servers.s1 });
    const record = await mine.call('deployments.get', { serverId: mine.servers.s1, deploymentId: v1 });
    expect(record.status).toBe('superseded');
    expect(record.note).toBe(`Replaced by a deployment from ${userInfo().username}@${hostname()} (${v2}).`);
    expect(await mine.call('deployments.live', { serverId: mine.servers.s1, app })).toEqual([]);
  });
});
