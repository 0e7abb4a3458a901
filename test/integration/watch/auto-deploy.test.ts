import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer, webAppRepoOnServer } from '../../support/deploy-bed';
import { berth, linesFrom, settle, startBerth } from '../cli/harness';

const prefix = uniquePrefix('auto');
const port = PROXY_PORTS.s1;
const app = `${prefix}-web`;
const domain = `${prefix}.test`;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;
let repoDir = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

/** Pushes a commit to main of the bare repository on the server whose web app says `version` on /. */
async function push(version: string, subject: string, tag?: string): Promise<void> {
  await onServer(
    [
      `cd ${repoDir}/work`,
      `sed -i 's/^ARG VERSION=.*/ARG VERSION=${version}/' Dockerfile`,
      'git add -A',
      `git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "${subject}" -m "The body is not the title."`,
      ...(tag ? [`git -c user.name=Berth -c user.email=berth@example.com tag -a ${tag} -m "Tag ${tag}"`] : []),
      'git push --quiet --tags ../repo.git main',
    ].join(' && '),
  );
}

async function history(): Promise<Deployment[]> {
  return bed.call('deployments.list', { serverId, app });
}

/** Checks once and waits for the deployment the check started, if any. */
async function checkAndSettle(): Promise<Deployment | null> {
  const before = (await history()).length;
  const status = await bed.call('autoDeploy.check', { serverId, app });
  const list = await history();
  if (list.length === before) return null;
  expect(list.length).toBe(before + 1);
  expect(status.lastDeployment?.id).toBe(list[0]!.id);
  return bed.waitFor(serverId, list[0]!.id, ['live', 'failed']);
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  repoDir = await webAppRepoOnServer(bed.engine, serverId, prefix);
  await push('v1', 'First version');
  await bed.call('apps.create', { serverId, name: app, source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main' }, runtime: { domains: [domain], healthCheck: health } });
});

afterAll(async () => {
  await bed?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  if (repoDir.startsWith('/tmp/')) await onServer(`rm -rf ${repoDir}`).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
});

describe('auto-deploy of a branch', () => {
  it('deploys the head of the branch, titled by its subject, and not again while it is queued or live', async () => {
    await bed.call('autoDeploy.set', { serverId, app, settings: { watch: { kind: 'branch', branch: 'main' }, intervalSec: 5, from: 'server' } });
    const [first, again] = await Promise.all([bed.call('autoDeploy.check', { serverId, app }), bed.call('autoDeploy.check', { serverId, app })]);
    expect(again).toEqual(first);
    const queued = await history();
    expect(queued).toHaveLength(1);
    const live = await bed.waitFor(serverId, queued[0]!.id, ['live', 'failed']);
    expect(live).toMatchObject({ status: 'live', trigger: 'auto', title: 'First version' });
    expect((await httpGet(port, domain)).body.trim()).toBe('v1');
    expect(await checkAndSettle()).toBeNull();
  });

  it('deploys the next pushed commit from berth watch, which Ctrl+C stops cleanly', async () => {
    const watch = startBerth(bed.home, ['watch', app], { BERTH_KNOWN_HOSTS: process.env.BERTH_KNOWN_HOSTS });
    const done = settle(watch, 90_000, ['watch']);
    await linesFrom(watch.stderr, 1);
    await push('v2', 'Second version');
    const lines = await linesFrom(watch.stdout, 2, 60_000);
    expect(lines[0]).toMatch(new RegExp(`^${app}: [0-9a-f]{12} is new, deploying it as #2$`));
    expect(lines[1]).toBe(`${app} #2 live: Second version`);
    watch.kill('SIGINT');
    const run = await done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Stopped watching.');
    expect((await httpGet(port, domain)).body.trim()).toBe('v2');
    expect((await history()).map((d) => [d.seq, d.title])).toEqual([[2, 'Second version'], [1, 'First version']]);
    const listed = await berth(bed.home, ['history', app], { env: { BERTH_KNOWN_HOSTS: process.env.BERTH_KNOWN_HOSTS } });
    expect(listed.stdout).toMatch(/#2 .*Second version.*auto-deploy/);
  });

  it('checks nothing while paused', async () => {
    await bed.call('autoDeploy.pause', { serverId, app });
    await push('v2b', 'Not while paused');
    expect(await checkAndSettle()).toBeNull();
    expect((await bed.call('autoDeploy.get', { serverId, app })).paused).toBe(true);
  });
});

describe('auto-deploy of a tag pattern', () => {
  it('deploys a new matching tag once, and no tag that does not match, asking the remote from this computer', async () => {
    // the sandbox server is this machine, so its repository's path is reachable from here as well
    await bed.call('autoDeploy.set', { serverId, app, settings: { watch: { kind: 'tag', pattern: 'v*' }, intervalSec: 5, from: 'computer' } });
    await bed.call('autoDeploy.resume', { serverId, app });
    expect(await checkAndSettle()).toBeNull();
    await push('v3', 'Third version', 'other-3');
    expect(await checkAndSettle()).toBeNull();
    await push('v4', 'Fourth version', 'v4.0');
    const deployed = await checkAndSettle();
    expect(deployed).toMatchObject({ status: 'live', trigger: 'auto', title: 'Fourth version', source: { source: { ref: 'v4.0' } } });
    expect((await httpGet(port, domain)).body.trim()).toBe('v4');
    expect(await checkAndSettle()).toBeNull();
  });
});
