import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../shared/api/apps';
import { removeByPrefix, uniquePrefix } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth, bin, cliEnv, newHome, parseJson, repoRoot, serverAddArgs, settle, type CliRun } from '../cli/harness';

// Secrets through the real CLI on s1: a multi-line secret given on stdin never shows in the container logs Berth
// prints, and a token in a git URL reaches no output, log or file of the home, while the clone on the server works.
const sandbox = loadSandbox();
const s1 = sandbox.servers.find((s) => s.name === 's1')!;
const prefix = uniquePrefix('sec');
const app = `${prefix}-web`;
const gitApp = `${prefix}-git`;
const PEM_LINES = ['-----BEGIN PRIVATE KEY-----', `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${prefix}`, `bm90LWEtcmVhbC1rZXk${prefix}`, '-----END PRIVATE KEY-----'];
const TOKEN = `ghp_${prefix}Zq9`;
let home: string;
let scratch: string;
let gitServer: http.Server;
let gitPort: number;

/** `berth ARGS` with `input` on its stdin, as `berth … < file` gives it. */
function berthWithStdin(args: string[], input: string): Promise<CliRun> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: cliEnv(home) });
  child.stdin.end(input);
  return settle(child, 90_000, args);
}

/** A git repository served over dumb HTTP that answers only to user bot with TOKEN (as a Git host with a token does). */
function serveRepo(root: string): Promise<http.Server> {
  const expected = `Basic ${Buffer.from(`bot:${TOKEN}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const path = join(root, decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
    if (!path.startsWith(root) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every file of the home, read as text. */
function homeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

beforeAll(async () => {
  home = newHome('sec');
  scratch = mkdtempSync(join(tmpdir(), `${prefix}-`));
  // the sandbox server runs on this machine: the repository and its HTTP server are reachable from it
  const sh = (cmd: string) => execFileSync('/bin/sh', ['-c', cmd], { cwd: scratch, stdio: 'pipe' });
  sh(`git init -q -b main work && cp -r ${sandbox.fixtures.webApp}/. work/ && cd work && git add -A && git -c user.name=B -c user.email=b@example.com commit -qm "Serve the web app"`);
  sh('git clone -q --bare work repo.git && cd repo.git && git update-server-info');
  gitServer = await serveRepo(scratch);
  gitPort = (gitServer.address() as AddressInfo).port;
  expect((await berth(home, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint])).code).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const name of [app, gitApp]) await berth(home, ['app', 'remove', name, '--yes']).catch(() => undefined);
  await removeByPrefix('s1', prefix);
  await new Promise((resolve) => gitServer?.close(resolve));
  rmSync(home, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('a multi-line secret', () => {
  it('is read from stdin, not the command line, and no line of it shows in the container logs', async () => {
    const added = await berthWithStdin(
      [
        'app', 'add', app, '--server', 's1', '--folder', sandbox.fixtures.webApp, '--build-arg', 'VERSION=v1',
        '--health-path', '/health', '--health-interval', '300ms', '--health-retries', '20', '--watch', '0',
        '--command', '["/bin/sh","-c","echo key follows; echo \\"$TLS_KEY\\"; echo key done; exec /bin/sh /start.sh"]',
        '--secret', 'TLS_KEY',
      ],
      `${PEM_LINES.join('\n')}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toContain('warning');
    expect(App.parse(parseJson((await berth(home, ['app', 'show', app, '--json'])).stdout)).runtime.env).toEqual([{ key: 'TLS_KEY', value: null, secret: true }]);
    const deployed = await berth(home, ['deploy', app, '--follow-build']);
    expect(deployed.code, deployed.stderr).toBe(0);

    const logs = await berth(home, ['logs', app, '--tail', '50']);
    expect(logs.stdout).toContain('key follows');
    expect(logs.stdout).toContain('key done');
    for (const line of PEM_LINES) expect(logs.stdout + logs.stderr).not.toContain(line);
    expect(logs.stdout).toContain('••••••');
    for (const file of homeFiles(home)) for (const line of PEM_LINES.slice(1, 3)) expect(file).not.toContain(line);
  });

  it('can come from a variable the user names, or still from the command line with a warning that gives the fix', async () => {
    const fromEnv = await berth(home, ['app', 'env', app, '--secret-env', 'API_KEY=MY_API_KEY'], { env: { MY_API_KEY: `k-${prefix}` } });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const inline = await berth(home, ['app', 'env', app, '--secret', `OLD=v-${prefix}`]);
    expect(inline.code).toBe(0);
    expect(inline.stderr).toContain('puts the value on the command line');
    expect(inline.stderr).toContain('--secret-env OLD=VARIABLE');
    expect(inline.stderr).not.toContain(`v-${prefix}`);
  });
});

describe('a token in a git URL', () => {
  it('clones on the server, yet shows in no output, log or file of the home', async () => {
    const url = `http://bot:${TOKEN}@127.0.0.1:${gitPort}/repo.git`;
    const added = await berth(home, ['app', 'add', gitApp, '--server', 's1', '--git', url, '--health-path', '/health', '--health-interval', '300ms', '--watch', '0', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(App.parse(parseJson(added.stdout)).source).toEqual({ kind: 'git', url: `http://127.0.0.1:${gitPort}/repo.git`, ref: 'main', withCredentials: true });
    const deployed = await berth(home, ['deploy', gitApp, '--follow-build']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain('with its sealed credentials');
    const outputs = [added, deployed, await berth(home, ['history', gitApp, '--json']), await berth(home, ['logs', gitApp, '--deployment', '1'])];
    for (const out of outputs) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    for (const file of homeFiles(home)) expect(file).not.toContain(TOKEN);
  });

  it('stays out of the error and the log when the server refuses it', async () => {
    const set = await berth(home, ['app', 'set', gitApp, '--git', `http://bot:${TOKEN}-revoked@127.0.0.1:${gitPort}/repo.git`]);
    expect(set.code, set.stderr).toBe(0);
    const deployed = await berth(home, ['deploy', gitApp, '--follow-build']);
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toContain('GIT_FAILED');
    const log = await berth(home, ['logs', gitApp, '--deployment', '2']);
    expect(log.stdout).toMatch(/Authentication failed|401/);
    for (const out of [set, deployed, log]) expect(out.stdout + out.stderr).not.toContain(TOKEN);
    for (const file of homeFiles(home)) expect(file).not.toContain(TOKEN);
  });
});
