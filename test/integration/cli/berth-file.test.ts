import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { App } from '../../../shared/api/apps';
import { Deployment } from '../../../shared/api/deployments';
import { Server } from '../../../shared/api/servers';
import { docker, httpGet, removeByPrefix, uniquePrefix } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth, bin, cliEnv, newHome, parseJson, proxy, settle } from './harness';

const sandbox = loadSandbox();
const s1 = sandbox.servers.find((s) => s.name === 's1')!;
const prefix = uniquePrefix('bfile');
const app = `${prefix}-web`;
const host = `${app}.test`;
const secret = `s3cr3t-${prefix}`;
const homes: string[] = [];
let repo: string;

const berthFile = (version: string) => `# what the repository says about its deployment
server:
  host: ${s1.host}
  port: ${s1.port}
  user: ${s1.user}
  key: $CI_SSH_KEY
  hostKey: ${s1.hostKeyFingerprint}
  dockerSocket: ${s1.dockerSocket}
  proxy: { httpPort: ${proxy.port}, image: ${proxy.image()}, bindAddress: ${proxy.bind} }
app:
  name: ${app}
  source: { kind: folder, path: ${sandbox.fixtures.webApp} }
  build:
    args: { VERSION: ${version} }
  runtime:
    domains: [${host}]
    healthCheck: { kind: http, path: /health, intervalMs: 300, retries: 20 }
  env:
    MODE: ci
  secrets: [GREETING]
`;

/** `berth deploy` with no app, run in the repository's folder as a CI job would, on a home of its own. */
async function deployFromFolder(home: string): Promise<{ code: number | null; stdout: string; stderr: string; deployment: Deployment }> {
  const child = spawn(process.execPath, [bin, 'deploy', '--json', '--no-watch'], { cwd: repo, env: cliEnv(home, { CI_SSH_KEY: s1.keyPath, GREETING: secret }) });
  child.stdin.end();
  const run = await settle(child, 120_000, ['deploy']);
  return { ...run, deployment: Deployment.parse(parseJson(run.stdout)) };
}

function freshHome(tag: string): string {
  const home = newHome(tag);
  homes.push(home);
  return home;
}

/** Every file of a home, read as text: where a secret must never be found in the clear. */
function homeText(home: string): string {
  return readdirSync(home, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), `${prefix}-repo-`));
  writeFileSync(join(repo, 'berth.yaml'), berthFile('v1'));
});

afterAll(async () => {
  if (homes[0]) await berth(homes[0], ['app', 'remove', app, '--yes']).catch(() => undefined);
  await removeByPrefix('s1', prefix);
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
});

describe('berth deploy from a berth file', () => {
  it('defines the server and the app on a fresh home and deploys them, the secret from the environment only', async () => {
    const home = freshHome('bfile-a');
    const run = await deployFromFolder(home);
    expect(run.code, run.stderr).toBe(0);
    expect(run.deployment).toMatchObject({ app, seq: 1, status: 'live' });
    expect((await httpGet(proxy.port, host)).body.trim()).toBe('v1');
    expect((await httpGet(proxy.port, host, '/env')).body).toContain(`GREETING=${secret}`);

    const servers = z.array(Server).parse(parseJson((await berth(home, ['server', 'list', '--json'])).stdout)).filter((s) => !s.builtin);
    expect(servers).toMatchObject([{ host: s1.host, port: s1.port, auth: { kind: 'key', keyPath: s1.keyPath } }]);
    const apps = z.array(App).parse(parseJson((await berth(home, ['app', 'list', '--json'])).stdout));
    expect(apps[0]?.runtime.env).toEqual([
      { key: 'MODE', value: 'ci', secret: false },
      { key: 'GREETING', value: null, secret: true },
    ]);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(readFileSync(join(repo, 'berth.yaml'), 'utf8')).not.toContain(secret);
    expect(homeText(home)).not.toContain(secret);
  });

  it('numbers the deployment of a second fresh home above the releases already on the server', async () => {
    const run = await deployFromFolder(freshHome('bfile-b'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.deployment).toMatchObject({ seq: 2, status: 'live', image: { tag: `${app}:2` } });
    expect(await docker('s1', ['images', '--format', '{{.Tag}}', app])).toMatch(/^(1\n2|2\n1)\n$/);
  });

  it('refuses a file with mistakes, naming each line, and records nothing', async () => {
    const home = freshHome('bfile-bad');
    const bad = join(repo, 'bad.yaml');
    writeFileSync(bad, berthFile('v1').replace(`port: ${s1.port}`, 'port: twenty-two').replace('  env:\n', '  envs:\n'));
    const run = await berth(home, ['deploy', '--file', bad], { env: { CI_SSH_KEY: s1.keyPath, GREETING: secret } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad.yaml:4: server.port: expected a number, got a string');
    expect(run.stderr).toContain('bad.yaml:18: app.envs: is not a setting Berth knows');
    expect(z.array(Server).parse(parseJson((await berth(home, ['server', 'list', '--json'])).stdout)).filter((s) => !s.builtin)).toEqual([]);
  });
});
