import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInput } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('bld');
const port = PROXY_PORTS.s1;
const stacks = resolve(__dirname, '../../fixtures/stacks');
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 15, startPeriodMs: 0 };
const images = loadSandbox().images;
const apps: string[] = [];
let bed: DeployBed;
let serverId: string;
let work = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

async function createApp(name: string, input: Omit<AppInput, 'serverId' | 'name'>): Promise<void> {
  apps.push(name);
  await bed.call('apps.create', { serverId, name, ...input });
}

async function deploy(app: string): Promise<Deployment> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  return bed.waitFor(serverId, queued.id, ['live', 'failed']);
}

async function logText(deployment: Deployment): Promise<string> {
  const page = await bed.call('logs.deployment', { serverId, deploymentId: deployment.id, limit: 10_000 });
  return page.lines.map((line) => line.text).join('\n');
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  work = mkdtempSync(join(tmpdir(), `${prefix}-`));
});

afterAll(async () => {
  for (const name of apps) await bed?.call('apps.remove', { serverId, name }).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
  rmSync(work, { recursive: true, force: true });
});

describe('builds without a Dockerfile', () => {
  it('serves a folder of files as a static site, and records the Dockerfile it wrote', async () => {
    const name = `${prefix}-static`;
    await createApp(name, {
      source: { kind: 'folder', path: join(stacks, 'static-site') },
      build: { mode: 'static', baseImages: { static: images.base } },
      runtime: { domains: [`${name}.test`], healthCheck: health },
    });
    const done = await deploy(name);
    expect(done.error).toBeNull();
    expect((await httpGet(port, `${name}.test`)).body).toContain('<h1>static site v1</h1>');
    expect(done.buildPlan).toMatchObject({ mode: 'static', stack: 'static' });
    expect(done.buildPlan?.dockerfile).toContain(`FROM ${images.base}\n`);
  });

  it('shows a zero-config plan for a Node app, builds it on the configured base image and keeps the plan with the release', async () => {
    const name = `${prefix}-node`;
    await createApp(name, {
      source: { kind: 'folder', path: join(stacks, 'node-plain') },
      build: { mode: 'auto', baseImages: { node: images.node } },
      runtime: { domains: [`${name}.test`], healthCheck: health },
    });
    const plan = await bed.call('builds.plan', { serverId, app: name });
    expect(plan).toMatchObject({ origin: 'generated', stack: 'node' });
    expect(plan.dockerfile).toContain(`FROM ${images.node}\n`);
    const done = await deploy(name);
    expect(done.error).toBeNull();
    expect(await httpGet(port, `${name}.test`)).toMatchObject({ status: 200, body: expect.stringMatching(/^zero-config node on node v\d+/) as unknown });
    expect(done.buildPlan).toEqual({ mode: 'auto', stack: 'node', dockerfile: plan.dockerfile });
  });

  it('builds with an edited plan once it is saved in the app', async () => {
    const name = `${prefix}-node`;
    const plan = await bed.call('builds.plan', { serverId, app: name });
    const edited = (plan.dockerfile ?? '').replace('ENV NODE_ENV=production', 'ENV APP_VERSION=edited-plan NODE_ENV=production');
    await bed.call('apps.update', { serverId, name, patch: { build: { mode: 'dockerfile', dockerfileText: edited } } });
    expect(await bed.call('builds.plan', { serverId, app: name })).toMatchObject({ origin: 'kept', dockerfile: edited });
    const done = await deploy(name);
    expect(done.error).toBeNull();
    expect((await httpGet(port, `${name}.test`)).body).toMatch(/^edited-plan on node/);
    expect(done.buildPlan).toEqual({ mode: 'dockerfile', stack: null, dockerfile: edited });
  });

  it('detects and builds the stack of a git commit cloned on the server', async () => {
    const name = `${prefix}-git`;
    const repo = await onServer(`mktemp -d /tmp/${prefix}-repo-XXXXXX`);
    await onServer(
      [
        `cd ${repo}`,
        'git init --quiet -b main work',
        `cp -r ${join(stacks, 'static-site')}/. work/`,
        'cd work && git add -A && git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "Static site"',
      ].join(' && '),
    );
    await createApp(name, {
      source: { kind: 'git', url: `${repo}/work`, ref: 'main' },
      build: { mode: 'auto', baseImages: { static: images.base } },
      runtime: { domains: [`${name}.test`], healthCheck: health },
    });
    expect(await bed.call('builds.plan', { serverId, app: name })).toMatchObject({ origin: 'generated', stack: 'static' });
    const done = await deploy(name);
    expect(done.error).toBeNull();
    expect((await httpGet(port, `${name}.test`)).body).toContain('static site v1');
    await onServer(`rm -rf ${repo}`);
  });
});

describe('build cache', () => {
  it('reuses a BuildKit cache mount in the next build, and clearing the app cache empties it', async () => {
    const name = `${prefix}-cache`;
    const dir = join(work, 'cache-app');
    cpSync(join(stacks, 'static-site'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'Dockerfile'),
      [
        `FROM ${images.base}`,
        'ARG ROUND=1',
        // the ARG in the command makes the step run again each round, so only the mount can carry the marker over
        `RUN --mount=type=cache,target=/cache,id=${name} if [ -f /cache/marker ]; then echo "mount reused in round $ROUND"; else echo "mount fresh in round $ROUND"; touch /cache/marker; fi`,
        'COPY . /www',
        'CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]',
        '',
      ].join('\n'),
    );
    await createApp(name, { source: { kind: 'folder', path: dir }, runtime: { domains: [`${name}.test`], healthCheck: health } });
    const round = async (n: number): Promise<string> => {
      await bed.call('apps.update', { serverId, name, patch: { build: { args: { ROUND: String(n) } } } });
      const done = await deploy(name);
      expect(done.error).toBeNull();
      return logText(done);
    };
    expect(await round(1)).toContain('mount fresh in round 1');
    expect(await round(2)).toContain('mount reused in round 2');
    const cleared = await bed.call('builds.clearCache', { serverId, app: name });
    expect(cleared.records).toBeGreaterThan(0);
    expect(cleared.bytes).toBeGreaterThan(0);
    expect(await round(3)).toContain('mount fresh in round 3');
  });
});
