import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer, webAppRepoOnServer } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('gitc');
const onServerApp = `${prefix}-srv`;
const localApp = `${prefix}-here`;
const port = PROXY_PORTS.s1;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
const daemon = loadSandbox().servers[0]?.dockerId.replace(/[^A-Za-z0-9]+/g, '-') ?? '';
const repoCache = (app: string): string => `"$HOME"/.berth/git/${daemon}/${app}.git`;
let bed: DeployBed;
let serverId: string;
let repoDir = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

/** Commits the web app saying `version` on / and pushes it to the repository's main. */
async function push(version: string): Promise<void> {
  await onServer(
    [
      `cd ${repoDir}/work`,
      `sed -i 's/^ARG VERSION=.*/ARG VERSION=${version}/' Dockerfile`,
      'git add -A',
      `git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "Say ${version} on /"`,
      'git push --quiet ../repo.git main',
    ].join(' && '),
  );
}

async function deploy(app: string): Promise<{ title: string; hash: string; log: string }> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
  expect(done.error).toBeNull();
  const { lines } = await bed.call('logs.deployment', { serverId, deploymentId: done.id });
  return { title: done.title, hash: done.source.commit?.hash ?? '', log: lines.map((l) => l.text).join('\n') };
}

/** Objects in a repository, loose and packed. */
async function objects(repo: string): Promise<number> {
  const counts = await onServer(`git -C ${repo} count-objects -v`);
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(counts)?.[1] ?? NaN);
  return field('count') + field('in-pack');
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  repoDir = await webAppRepoOnServer(bed.engine, serverId, prefix);
  await onServer([`cd ${repoDir}`, 'mkdir -p work/docs', 'seq 1 50 > work/docs/notes.txt'].join(' && '));
  await push('g1');
  const runtime = (name: string) => ({ domains: [`${name}.test`], healthCheck: health });
  await bed.call('apps.create', { serverId, name: onServerApp, source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main' }, runtime: runtime(onServerApp) });
  await bed.call('apps.create', {
    serverId,
    name: localApp,
    source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main', fetchOn: 'this-computer' },
    runtime: runtime(localApp),
  });
});

afterAll(async () => {
  for (const name of [onServerApp, localApp]) await bed?.call('apps.remove', { serverId, name }).catch(() => undefined);
  if (bed) await onServer(`rm -rf ${repoCache(onServerApp)} ${repoCache(localApp)} ${repoDir}`).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
});

describe('a git source', () => {
  it('is fetched into a cache on the server, and the next deploy fetches only the new commit’s objects', async () => {
    const first = await deploy(onServerApp);
    expect(first.title).toBe('Say g1 on /');
    expect(first.log).toContain("into the app's repository cache on the server");
    expect(await httpGet(port, `${onServerApp}.test`)).toEqual({ status: 200, body: 'g1\n' });
    const before = await objects(repoCache(onServerApp));

    await push('g2');
    const second = await deploy(onServerApp);
    expect(second.title).toBe('Say g2 on /');
    expect(second.hash).toBe(await onServer(`git -C ${repoDir}/repo.git rev-parse main`));
    // the new commit, its root tree and the changed Dockerfile: nothing of docs/ or the other files again
    expect((await objects(repoCache(onServerApp))) - before).toBe(3);
    expect(await httpGet(port, `${onServerApp}.test`)).toEqual({ status: 200, body: 'g2\n' });
  });

  it('is fetched on this computer and sent as a folder when the app says so (a server without git)', async () => {
    const done = await deploy(localApp);
    expect(done.title).toBe('Say g2 on /');
    expect(done.log).toContain('on this computer');
    expect(done.log).toMatch(/Build context: \d+ of \d+ files to send/);
    expect(await onServer(`test -e ${repoCache(localApp)} && echo there || echo none`)).toBe('none');
    expect(await httpGet(port, `${localApp}.test`)).toEqual({ status: 200, body: 'g2\n' });
  });

  it('deploys a commit that is no branch tip', async () => {
    const older = await onServer(`git -C ${repoDir}/repo.git rev-parse main~1`);
    const queued = await bed.call('deployments.deploy', { serverId, app: onServerApp, ref: older });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
    expect(done.error).toBeNull();
    expect(done.source.commit?.hash).toBe(older);
    expect(await httpGet(port, `${onServerApp}.test`)).toEqual({ status: 200, body: 'g1\n' });
  });
});
