import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untarFirstFile } from '../../../electron/core/proxy/tar-file';
import { docker, httpGet, removeByPrefix, uniquePrefix } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth, newHome, proxy, serverAddArgs } from '../cli/harness';

// Values that would add lines to the shared HAProxy config, or end a shell word, are tried for every field through
// the real CLI against s1: each is refused before anything is written, and what ran and was recorded stays as it was.
const sandbox = loadSandbox();
const s1 = sandbox.servers.find((s) => s.name === 's1')!;
const prefix = uniquePrefix('inj');
const app = `${prefix}-web`;
const host = `${app}.test`;
const injected = '\n    use_backend evil if TRUE\n#';
let home: string;
/** The proxy config and the app's records once v1 is live, before any attempt. */
let before: { config: string; records: string };

const run = promisify(execFile);

/** The config the proxy on s1 runs with, read out of its container. */
async function proxyConfig(): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['-H', s1.dockerHost, 'cp', 'berth-proxy:/usr/local/etc/haproxy/haproxy.cfg', '-'], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  return untarFirstFile(stdout)?.content.toString('utf8') ?? '';
}

/** What Berth has recorded about the app: its definition and its history. */
async function records(): Promise<string> {
  const shown = await berth(home, ['app', 'show', app, '--json']);
  const history = await berth(home, ['history', app, '--json']);
  return `${shown.stdout}\n${history.stdout}`;
}

beforeAll(async () => {
  home = newHome('inj');
  expect((await berth(home, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint])).code).toBe(0);
  const added = await berth(home, [
    'app', 'add', app, '--server', 's1', '--folder', sandbox.fixtures.webApp, '--build-arg', 'VERSION=v1',
    '--domain', host, '--health-path', '/health', '--health-interval', '300ms', '--health-retries', '20', '--watch', '0',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const deployed = await berth(home, ['deploy', app]);
  expect(deployed.code, deployed.stderr).toBe(0);
  before = { config: await proxyConfig(), records: await records() };
}, 120_000);

afterAll(async () => {
  await berth(home, ['app', 'remove', app, '--yes']).catch(() => undefined);
  await removeByPrefix('s1', prefix);
  rmSync(home, { recursive: true, force: true });
});

/** `berth app set` attempts: the option, a value with the probe in it, and the words the refusal must name. */
const appAttempts: Array<[string, (bad: string) => string[], string]> = [
  ['health path', (bad) => ['--health-path', `/health${bad}`], 'the health path'],
  ['domain', (bad) => ['--domain', `x${bad}.test`], 'runtime.domains.0'],
  ['label name', (bad) => ['--label', `com.acme${bad}=1`], 'a label name'],
  ['label value', (bad) => ['--label', `com.acme=1${bad}`], 'a label value'],
  ['command', (bad) => ['--command', `["/bin/sh","-c","echo 1${bad.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"]`], 'the command'],
  ['health command', (bad) => ['--health-cmd', `["true${bad.replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"]`], 'the health command'],
  ['build arg name', (bad) => ['--build-arg', `V${bad}=1`], 'a build arg name'],
  ['build arg value', (bad) => ['--build-arg', `VERSION=v1${bad}`], 'a build arg value'],
  ['build target', (bad) => ['--target', `final${bad}`], 'the build target'],
  ['build context', (bad) => ['--context', `.${bad}`], 'the build context'],
  ['Dockerfile', (bad) => ['--dockerfile', `Dockerfile${bad}`], 'the Dockerfile path'],
  ['volume source', (bad) => ['--volume', `data${bad}:/data`], 'a volume source'],
  ['volume target', (bad) => ['--volume', `data:/data${bad}`], 'a volume target'],
  // the CLI's own parser already refuses it (a usage error before the engine starts)
  ['published host IP', (bad) => ['--publish', `127.0.0.1${bad}:18999:8080`], '--publish expects'],
  ['git URL', (bad) => ['--git', `https://git.example.com/a${bad}.git`], 'the git URL'],
  ['git ref', (bad) => ['--git', 'https://git.example.com/a.git', '--ref', `main${bad}`], 'the git ref'],
  ['image', (bad) => ['--image', `web${bad}:1`], 'the image'],
];

/** Probes a command line can carry (a NUL cannot be in an argument at all; the unit tests try it). */
const probes: Array<[string, string]> = [
  ['a newline', injected],
  ['a carriage return', '\r    use_backend evil if TRUE'],
];

describe('config injection through the CLI', () => {
  it.each(appAttempts)('refuses the %s with exit 2, naming it', async (_field, args, named) => {
    for (const [what, bad] of probes) {
      const attempt = await berth(home, ['app', 'set', app, ...args(bad)]);
      expect(attempt.code, `${what}: ${attempt.stderr}`).toBe(2);
      expect(attempt.stderr).toContain(named);
    }
  });

  it.each([
    ['a quote', '/health"x'],
    ['a "#"', '/health#x'],
    ['a space', '/health x'],
  ])('refuses a health path with %s, which would change a config line', async (_what, path) => {
    const attempt = await berth(home, ['app', 'set', app, '--health-path', path]);
    expect(attempt.code).toBe(2);
    expect(attempt.stderr).toContain('the health path contains');
  });

  it.each([['a quote', 'x"y.test'], ['a "#"', 'x#y.test'], ['a space', 'x y.test']])('refuses a domain with %s', async (_what, domain) => {
    expect((await berth(home, ['app', 'set', app, '--domain', domain])).code).toBe(2);
  });

  it('refuses an env key that would end its line', async () => {
    const attempt = await berth(home, ['app', 'env', app, '--set', `K${injected}=1`]);
    expect(attempt.code).toBe(2);
    expect(attempt.stderr).toContain('runtime.env.0.key');
  });

  it.each([
    ['host', ['--host', `${s1.host}${injected}`], 'the host'],
    ['SSH user', ['--user', `root${injected}`], 'the SSH user'],
    ['Docker socket', ['--socket', `${s1.dockerSocket}${injected}`], 'the Docker socket'],
    ['proxy image', ['--proxy-image', `haproxy${injected}`], 'the proxy image'],
    ['proxy bind address', ['--proxy-bind', `127.0.0.1${injected}`], 'the proxy bind address'],
  ])('refuses a server whose %s holds a newline', async (_field, override, named) => {
    const args = serverAddArgs(`${prefix}-bad`, s1);
    const at = args.indexOf(override[0]!);
    args.splice(at, 2, ...override);
    const attempt = await berth(home, [...args, '--accept-host-key', s1.hostKeyFingerprint]);
    expect(attempt.code, attempt.stderr).toBe(2);
    expect(attempt.stderr).toContain(named);
  });

  it('leaves the proxy config and every record as they were, and v1 serving', async () => {
    expect(await proxyConfig()).toBe(before.config);
    expect(await records()).toBe(before.records);
    expect(await httpGet(proxy.port, host)).toEqual({ status: 200, body: 'v1\n' });
  });
});

describe('a label planted on the server by something other than Berth', () => {
  it('is refused where the proxy config is written: the deploy fails, the config and v1 stay', async () => {
    const rogue = `${prefix}-rogue`;
    await docker('s1', [
      'run', '-d', '--name', rogue, '--label', 'berth.managed=true', '--label', 'berth.role=app', '--label', `berth.app=${rogue}`,
      '--label', 'berth.slot=a', '--label', 'berth.port=8080', '--label', `berth.domains=evil.test${injected}`,
      'berth-test/base:latest', 'sleep', '300',
    ]);
    const config = await proxyConfig();
    expect((await berth(home, ['app', 'set', app, '--build-arg', 'VERSION=v2'])).code).toBe(0);
    const deployed = await berth(home, ['deploy', app]);
    await docker('s1', ['rm', '-f', rogue]);
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toContain('will not write the edge proxy config');
    expect(deployed.stderr).toContain(`the domain of app "${rogue}"`);
    expect(await proxyConfig()).toBe(config);
    expect(await httpGet(proxy.port, host)).toEqual({ status: 200, body: 'v1\n' });
    const history = JSON.parse((await berth(home, ['history', app, '--json'])).stdout) as Array<{ seq: number; status: string; error: { code: string } | null }>;
    expect(history.map((d) => [d.seq, d.status, d.error?.code ?? null])).toEqual([
      [2, 'failed', 'PROXY_FAILED'],
      [1, 'live', null],
    ]);
  });
});
