import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeployBed, docker, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer, webAppRepoOnServer } from '../../support/deploy-bed';
import { berth } from '../cli/harness';

const prefix = uniquePrefix('prv');
const port = PROXY_PORTS.s1;
const app = `${prefix}-web`;
const domain = `${prefix}.test`;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;
let repoDir = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

/** A commit on a branch of the bare repository whose web app says `version` on /. */
function branchCommit(branch: string, version: string): string {
  return [
    `git checkout --quiet -B ${branch} main`,
    `sed -i 's/^ARG VERSION=.*/ARG VERSION=${version}/' Dockerfile`,
    'git add -A',
    `git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "Say ${version}"`,
    `git push --quiet ../repo.git ${branch}`,
  ].join(' && ');
}

/** What the server still has of an app: its containers and its images. */
async function leftovers(name: string): Promise<string[]> {
  const containers = await docker('s1', ['ps', '-a', '--filter', `label=berth.app=${name}`, '--format', '{{.Names}}']);
  const images = await docker('s1', ['images', name, '--format', '{{.Repository}}:{{.Tag}}']);
  return [...containers.split('\n'), ...images.split('\n')].filter(Boolean);
}

async function deployPreview(ref: string): Promise<void> {
  const queued = await bed.call('previews.deploy', { serverId, app, ref });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
  expect(done.error).toBeNull();
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  repoDir = await webAppRepoOnServer(bed.engine, serverId, prefix);
  await onServer(
    [
      `cd ${repoDir}`,
      'cd work',
      `sed -i 's/^ARG VERSION=v1/ARG VERSION=v-main/' Dockerfile`,
      'git add -A',
      'git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "Say v-main"',
      'git push --quiet ../repo.git main',
      branchCommit('feature/login', 'v-login'),
      // a pull request's head, as GitHub keeps it: a ref outside refs/heads that a plain clone does not fetch
      branchCommit('contributor', 'v-pr'),
      'git push --quiet ../repo.git contributor:refs/pull/7/head',
      'git push --quiet ../repo.git --delete contributor',
    ].join(' && '),
  );
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main' },
    runtime: { domains: [domain], healthCheck: health },
    previews: { limit: 1 },
  });
  const queued = await bed.call('deployments.deploy', { serverId, app });
  expect((await bed.waitFor(serverId, queued.id, ['live', 'failed'])).status).toBe('live');
});

afterAll(async () => {
  for (const ref of ['feature/login', 'refs/pull/7/head']) await bed?.call('previews.remove', { serverId, app, ref, dropRecords: true }).catch(() => undefined);
  await bed?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  if (repoDir.startsWith('/tmp/')) await onServer(`rm -rf ${repoDir}`).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
});

describe('previews of a git app', () => {
  it("serve a branch at <branch>.<app domain> with their own history while the app keeps serving", async () => {
    await deployPreview('feature/login');
    expect(await httpGet(port, `feature-login.${domain}`)).toEqual({ status: 200, body: 'v-login\n' });
    expect(await httpGet(port, domain)).toEqual({ status: 200, body: 'v-main\n' });
    const [preview] = await bed.call('previews.list', { serverId, app });
    expect(preview).toMatchObject({ name: `${app}-feature-login`, ref: 'feature/login', domains: [`feature-login.${domain}`], latest: { seq: 1, status: 'live', title: 'Say v-login' } });
  });

  it('refuse one more branch than the limit, saying how to make room', async () => {
    await expect(bed.call('previews.deploy', { serverId, app, ref: 'refs/pull/7/head' })).rejects.toMatchObject({
      code: 'PREVIEW_LIMIT',
      message: expect.stringContaining(`remove one with berth preview remove ${app} BRANCH`),
    });
    expect(await bed.call('previews.list', { serverId, app })).toHaveLength(1);
  });

  it('are listed and refused the same way by the berth command', async () => {
    const env = { BERTH_KNOWN_HOSTS: process.env.BERTH_KNOWN_HOSTS ?? '' };
    const listed = await berth(bed.home, ['preview', 'list', app, '--json'], { env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: `${app}-feature-login`, ref: 'feature/login' })]);
    const refused = await berth(bed.home, ['preview', 'deploy', app, 'refs/pull/7/head'], { env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('PREVIEW_LIMIT');
  });

  it('removed by hand leave nothing on the server, their records dropped when asked', async () => {
    const name = `${app}-feature-login`;
    const removal = await bed.call('previews.remove', { serverId, app, ref: 'feature/login', dropRecords: true });
    expect(removal).toMatchObject({ name, reason: 'user', imagesRemoved: 1, records: 'dropped', recordCount: 1 });
    expect(await leftovers(name)).toEqual([]);
    expect((await httpGet(port, `feature-login.${domain}`)).status).toBe(404);
    expect(await httpGet(port, domain)).toEqual({ status: 200, body: 'v-main\n' });
    expect(await bed.call('deployments.list', { serverId, app: name })).toEqual([]);
  });

  it("of a pull request go by themselves once its ref is gone from the remote, their records kept and stepped down", async () => {
    await deployPreview('refs/pull/7/head');
    const name = `${app}-pr-7`;
    expect(await httpGet(port, `pr-7.${domain}`)).toEqual({ status: 200, body: 'v-pr\n' });
    expect(await bed.call('previews.prune', { serverId, app })).toEqual([]);
    await onServer(`git -C ${repoDir}/repo.git update-ref -d refs/pull/7/head`);
    bed.engine.previews.startSweep(200);
    await vi.waitFor(() => expect(bed.events('previews.removed').map((r) => r.name)).toContain(name), { timeout: 30_000, interval: 100 });
    expect(bed.events('previews.removed').find((r) => r.name === name)).toMatchObject({ app, reason: 'branch-gone', records: 'kept', recordCount: 1 });
    expect(await leftovers(name)).toEqual([]);
    expect(await bed.call('deployments.list', { serverId, app: name })).toEqual([expect.objectContaining({ status: 'superseded', imageRemoved: expect.objectContaining({ by: 'user' }) })]);
    expect(await httpGet(port, domain)).toEqual({ status: 200, body: 'v-main\n' });
  });

  it('go with the app they preview when it is removed', async () => {
    await deployPreview('feature/login');
    const name = `${app}-feature-login`;
    expect(await httpGet(port, `feature-login.${domain}`)).toEqual({ status: 200, body: 'v-login\n' });
    await bed.call('apps.remove', { serverId, name: app });
    expect((await bed.call('apps.list', { serverId })).map((a) => a.name)).not.toContain(name);
    expect(await leftovers(name)).toEqual([]);
    expect((await httpGet(port, `feature-login.${domain}`)).status).toBe(404);
  });
});
