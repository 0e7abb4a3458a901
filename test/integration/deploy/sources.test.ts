import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer, webAppRepoOnServer } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('src');
const port = PROXY_PORTS.s1;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;
let repoDir = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  // A bare repository on the server, with a commit of the web app that says v-git.
  repoDir = await webAppRepoOnServer(bed.engine, serverId, prefix);
  await onServer(
    [
      `cd ${repoDir}`,
      'cd work',
      `sed -i 's/^ARG VERSION=v1/ARG VERSION=v-git/' Dockerfile`,
      'git add -A',
      'git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "Say v-git on /" -m "So the test can tell this build apart."',
      'git push --quiet ../repo.git main',
    ].join(' && '),
  );
});

afterAll(async () => {
  for (const name of [`${prefix}-git`, `${prefix}-img`]) await bed?.call('apps.remove', { serverId, name }).catch(() => undefined);
  if (repoDir.startsWith('/tmp/')) await onServer(`rm -rf ${repoDir}`).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
});

describe('deploying from other sources', () => {
  it('clones a git repository on the server, builds the commit and records its message and hash', async () => {
    const name = `${prefix}-git`;
    await bed.call('apps.create', {
      serverId,
      name,
      source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main' },
      runtime: { domains: [`${name}.test`], healthCheck: health },
    });
    const queued = await bed.call('deployments.deploy', { serverId, app: name });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.status).toBe('live');
    expect(done.title).toBe('Say v-git on /');
    expect(done.source.commit?.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(done.description).toContain(done.source.commit?.hash ?? 'no hash');
    expect(await httpGet(port, `${name}.test`)).toEqual({ status: 200, body: 'v-git\n' });
    expect(await onServer(`ls -d /tmp/berth-git-* 2>/dev/null | wc -l`)).toBe('0');
  });

  it('reports a ref the repository does not have as a git failure', async () => {
    const queued = await bed.call('deployments.deploy', { serverId, app: `${prefix}-git`, ref: 'no-such-branch' });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('GIT_FAILED');
  });

  it('pulls an image from a registry, tags it as the release and records its digest', async () => {
    const name = `${prefix}-img`;
    const image = loadSandbox().images.webPushed;
    await bed.call('apps.create', { serverId, name, source: { kind: 'image', image }, runtime: { domains: [`${name}.test`], healthCheck: health } });
    const queued = await bed.call('deployments.deploy', { serverId, app: name });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.image?.tag).toBe(`${name}:1`);
    expect(done.image?.digest).toMatch(/^127\.0\.0\.1:45000\/berth-test\/web@sha256:[0-9a-f]{64}$/);
    expect(await httpGet(port, `${name}.test`)).toEqual({ status: 200, body: 'v1\n' });
  });
});
