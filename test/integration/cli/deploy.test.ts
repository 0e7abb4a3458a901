import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { App, EnvVarView } from '../../../shared/api/apps';
import { RollbackPoint } from '../../../shared/api/rollback';
import { Deployment } from '../../../shared/api/deployments';
import { AppLogLine, DeploymentLogLine } from '../../../shared/api/logs';
import { ErrorEnvelope } from '../../../shared/error-envelope';
import { httpGet, removeByPrefix, uniquePrefix } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth, bin, cliEnv, linesFrom, newHome, parseJson, proxy, repoRoot, serverAddArgs, settle, startBerth } from './harness';

const sandbox = loadSandbox();
const s1 = sandbox.servers.find((s) => s.name === 's1')!;
const prefix = uniquePrefix('cli');
const app = `${prefix}-web`;
const host = `${app}.test`;
/** The fixture's server plus a ticker, so the logs have lines to follow. */
const ticker = 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done & exec /bin/sh /start.sh';
let home: string;
let scratch: string;

const get = () => httpGet(proxy.port, host);
/** `berth deploy --json`: stdout is the final Deployment, whether it went live or not. */
const deploy = async (args: string[] = []) => {
  const run = await berth(home, ['deploy', app, '--json', ...args]);
  return { ...run, deployment: Deployment.parse(parseJson(run.stdout)) };
};

beforeAll(async () => {
  home = newHome('deploy');
  scratch = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const added = await berth(home, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint]);
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  await berth(home, ['app', 'remove', app, '--yes']).catch(() => undefined);
  await removeByPrefix('s1', prefix);
  rmSync(home, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('berth app add', () => {
  it('refuses a malformed env file with exit 2, naming its lines, and creates nothing', async () => {
    const envFile = join(scratch, 'bad.env');
    writeFileSync(envFile, 'GOOD=1\nthis line has no equals sign\nQUOTED="never closed\n');
    const run = await berth(home, ['app', 'add', app, '--server', 's1', '--env-file', envFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ENV_PARSE_ERROR');
    expect(run.stderr).toContain('line 2: expected KEY=value');
    expect(run.stderr).toContain('line 3: the double quote opened here is never closed');
    expect(z.array(App).parse(parseJson((await berth(home, ['app', 'list', '--json'])).stdout))).toEqual([]);
  });

  it('defines the app from the options and prints it as an App', async () => {
    const envFile = join(scratch, 'app.env');
    writeFileSync(envFile, '# settings\nGREETING=hello from a file\nMODE=prod\n');
    const run = await berth(home, [
      'app', 'add', app, '--server', 's1', '--json',
      '--folder', sandbox.fixtures.webApp, '--build-arg', 'VERSION=v1',
      '--domain', host, '--health-path', '/health', '--health-interval', '300ms', '--health-retries', '20',
      '--env-file', envFile, '--env', 'MODE=test', '--secret-env', 'TOKEN=TEST_TOKEN',
      '--command', ticker, '--watch', '3s',
    ], { env: { TEST_TOKEN: `s3cr3t-${prefix}` } });
    expect(run.code, run.stderr).toBe(0);
    const created = App.parse(parseJson(run.stdout));
    expect(created.runtime.domains).toEqual([host]);
    expect(created.runtime.env).toEqual([
      { key: 'GREETING', value: 'hello from a file', secret: false },
      { key: 'MODE', value: 'test', secret: false },
      { key: 'TOKEN', value: null, secret: true },
    ]);
  });
});

describe('berth deploy', () => {
  it('builds v1, prints the phases on stderr and the live Deployment on stdout, and exits 0', async () => {
    const run = await deploy(['--title', 'First release']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.deployment).toMatchObject({ seq: 1, status: 'live', kind: 'deploy', trigger: 'cli', title: 'First release', error: null });
    for (const phase of ['queued', 'building', 'starting', 'health-checking', 'live']) expect(run.stderr).toContain(`] ${phase}`);
    expect(await get()).toEqual({ status: 200, body: 'v1\n' });
  });

  it('switches to v2 after berth app set, and supersedes v1', async () => {
    expect((await berth(home, ['app', 'set', app, '--build-arg', 'VERSION=v2'])).code).toBe(0);
    const run = await deploy(['--title', 'Second release', '--follow-build']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.deployment).toMatchObject({ seq: 2, status: 'live' });
    expect(run.stderr).toContain(`│ Image ${app}:2 = sha256:`);
    expect(run.stderr).toContain(`${app} #2 stayed healthy through its watch window`);
    expect(await get()).toEqual({ status: 200, body: 'v2\n' });
  });

  it('fails a broken build with exit 1 and the reason, and keeps v2 serving', async () => {
    const broken = join(scratch, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'Dockerfile'), 'FROM berth-test/base:latest\nRUN echo about to fail && exit 3\n');
    expect((await berth(home, ['app', 'set', app, '--folder', broken])).code).toBe(0);
    const run = await deploy();
    expect(run.code).toBe(1);
    expect(run.deployment).toMatchObject({ seq: 3, status: 'failed', error: { code: 'BUILD_FAILED' } });
    expect(run.stderr).toContain('BUILD_FAILED');
    expect(run.stderr).toContain('about to fail');
    expect(await get()).toEqual({ status: 200, body: 'v2\n' });
    expect((await berth(home, ['app', 'set', app, '--folder', sandbox.fixtures.webApp])).code).toBe(0);
  });

  it('cancels the deployment on Ctrl+C, exits 1, and leaves the live release serving', async () => {
    const child = startBerth(home, ['deploy', app, '--json', '--clean']);
    const done = settle(child, 60_000);
    await waitForText(child.stderr, '] building');
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(1);
    expect(Deployment.parse(parseJson(run.stdout))).toMatchObject({ seq: 4, status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(await get()).toEqual({ status: 200, body: 'v2\n' });
  });
});

describe('berth history', () => {
  it('lists every deployment, newest first, as Deployment records', async () => {
    const run = await berth(home, ['history', app, '--json']);
    expect(run.code).toBe(0);
    const history = z.array(Deployment).parse(parseJson(run.stdout));
    expect(history.map((d) => [d.seq, d.status])).toEqual([
      [4, 'cancelled'],
      [3, 'failed'],
      [2, 'live'],
      [1, 'superseded'],
    ]);
  });

  it('marks the live one in the table', async () => {
    const run = await berth(home, ['history', app]);
    expect(run.stdout).toMatch(/● #2\s+deploy\s+live\s+Second release/);
    expect(run.stdout).toMatch(/ {2}#3\s+deploy\s+failed .*BUILD_FAILED/);
  });
});

describe('berth logs', () => {
  it('follows the container logs as AppLogLine records and stops on Ctrl+C after N lines with exit 0', async () => {
    const child = startBerth(home, ['logs', app, '-f', '--json', '--tail', '0']);
    const done = settle(child, 30_000);
    const lines = (await linesFrom(child.stdout, 5)).map((l) => AppLogLine.parse(parseJson(l)));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(0);
    expect(lines.every((l) => /^tick \d+$/.test(l.text) && l.container === `${app}-2-0`)).toBe(true);
  });

  it('ends cleanly when the reader of its output goes away (| head -n 5)', async () => {
    const script = `set -o pipefail; "${process.execPath}" "${bin}" logs ${app} -f --tail 0 | head -n 5`;
    const child = spawn('bash', ['-c', script], { cwd: repoRoot, env: cliEnv(home) });
    child.stdin.end();
    const run = await settle(child, 30_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(5);
    expect(run.stderr).toBe('');
  });

  it('prints the last lines and exits without -f, even for an app that never stops logging', async () => {
    const run = await berth(home, ['logs', app, '--tail', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => AppLogLine.parse(parseJson(l)));
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /^tick \d+$/.test(l.text))).toBe(true);
  });

  it("prints one deployment's build and deploy log", async () => {
    const run = await berth(home, ['logs', app, '--deployment', '1', '--json']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => DeploymentLogLine.parse(parseJson(l)));
    expect(lines[0]?.n).toBe(1);
    expect(lines.map((l) => l.text)).toContain(`Live: ${app} #1`);
    expect(run.stdout).not.toContain(`s3cr3t-${prefix}`);
  });
});

describe('berth app env', () => {
  it('shows the env with secrets masked', async () => {
    const run = await berth(home, ['app', 'env', app]);
    expect(run.stdout).toMatch(/TOKEN\s+••••••\s+secret/);
    expect(run.stdout).not.toContain(`s3cr3t-${prefix}`);
  });

  it('sets and unsets variables, keeping the stored secret', async () => {
    const run = await berth(home, ['app', 'env', app, '--set', 'GREETING=changed', '--unset', 'MODE', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(z.array(EnvVarView).parse(parseJson(run.stdout))).toEqual([
      { key: 'GREETING', value: 'changed', secret: false },
      { key: 'TOKEN', value: null, secret: true },
    ]);
  });

  it('refuses a malformed env file with exit 2 and changes nothing', async () => {
    const envFile = join(scratch, 'bad2.env');
    writeFileSync(envFile, 'OK=1\n1BAD=x\n');
    const run = await berth(home, ['app', 'env', app, '--env-file', envFile, '--json']);
    expect(run.code).toBe(2);
    expect(z.object({ error: ErrorEnvelope }).parse(parseJson(run.stdout)).error).toMatchObject({ code: 'ENV_PARSE_ERROR', message: expect.stringContaining('line 2') });
    const env = z.array(EnvVarView).parse(parseJson((await berth(home, ['app', 'env', app, '--json'])).stdout));
    expect(env.map((v) => v.key)).toEqual(['GREETING', 'TOKEN']);
  });
});

describe('berth rollback', () => {
  it('needs --yes without a terminal, and changes nothing without it', async () => {
    const run = await berth(home, ['rollback', app, '--to', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Pass --yes');
    expect(run.stderr).toMatch(/Image\s+#2 \w+\s+#1 \w+/);
    expect(await get()).toEqual({ status: 200, body: 'v2\n' });
  });

  it('refuses a release that never went live with exit 3', async () => {
    const run = await berth(home, ['rollback', app, '--to', '3', '--yes']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('NOT_ROLLBACK_CAPABLE');
  });

  it('rolls back to #1 and records it as a rollback row in the history', async () => {
    const run = await berth(home, ['rollback', app, '--to', '1', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Image\s+#2 \w+\s+#1 \w+/);
    const d = Deployment.parse(parseJson(run.stdout));
    expect(d).toMatchObject({ seq: 5, kind: 'rollback', status: 'live', target: expect.stringMatching(new RegExp(`^${app}-1-`)) });
    expect(await get()).toEqual({ status: 200, body: 'v1\n' });
    const history = z.array(Deployment).parse(parseJson((await berth(home, ['history', app, '--json'])).stdout));
    expect(history[0]).toMatchObject({ seq: 5, kind: 'rollback', status: 'live' });
    expect(history.find((h) => h.seq === 2)?.status).toBe('superseded');
  });

  it('lists the releases with whether each can run again', async () => {
    const run = await berth(home, ['release', 'list', app, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const points = z.array(RollbackPoint).parse(parseJson(run.stdout));
    expect(points.find((p) => p.seq === 2)).toMatchObject({ capable: true, onServer: true });
    expect(points.find((p) => p.seq === 3)).toMatchObject({ capable: false });
  });

  it('notes a release: signed in the history, told before a rollback to it, refused with a control character, cleared', async () => {
    const noted = await berth(home, ['release', 'note', app, '2', 'leaks memory under load', '--json']);
    expect(noted.code, noted.stderr).toBe(0);
    expect(Deployment.parse(parseJson(noted.stdout)).releaseNote).toMatchObject({ text: 'leaks memory under load', by: expect.stringContaining('@') });
    expect((await berth(home, ['history', app])).stdout).toContain('“leaks memory under load”');
    // without --yes and a terminal the plan is printed and nothing runs (exit 2)
    const plan = await berth(home, ['rollback', app, '--to', '2']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/warning Note on #2 by \S+@\S+, \d{4}-\d\d-\d\d: leaks memory under load/);
    const escape = await berth(home, ['release', 'note', app, '2', 'fine\u001b[2Jnow']);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toMatch(/control character/);
    expect((await berth(home, ['release', 'note', app, '2', '--clear'])).code).toBe(0);
    const history = z.array(Deployment).parse(parseJson((await berth(home, ['history', app, '--json'])).stdout));
    expect(history.find((h) => h.seq === 2)?.releaseNote).toBeUndefined();
  });

  it('refuses with exit 3 and IMAGE_GONE once the target image was deleted from the server', async () => {
    expect((await berth(home, ['release', 'delete', app, '2', '--yes'])).code).toBe(0);
    const run = await berth(home, ['rollback', app, '--to', '2', '--yes']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('IMAGE_GONE');
    expect(await get()).toEqual({ status: 200, body: 'v1\n' });
  });
});

describe('berth status', () => {
  it('shows the live release of the app', async () => {
    const run = await berth(home, ['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${app}\\s+#5\\s+Roll`));
  });
});

describe('the watch window after going live', () => {
  it('rolls a release that turns unhealthy back automatically, follows that rollback, and exits 1', async () => {
    const failLater = `(sleep 8; rm -f /www/health) & ${ticker}`;
    expect((await berth(home, ['app', 'set', app, '--build-arg', 'VERSION=v3', '--command', failLater, '--watch', '40s'])).code).toBe(0);
    const run = await deploy();
    expect(run.code).toBe(1);
    expect(run.deployment).toMatchObject({ seq: 6, status: 'rolled-back', error: { code: 'HEALTH_CHECK_FAILED' }, autoRollback: { phase: 'watch', by: 'berth' } });
    expect(run.stderr).toContain('rolling back automatically');
    expect(await get()).toEqual({ status: 200, body: 'v1\n' });
    const history = z.array(Deployment).parse(parseJson((await berth(home, ['history', app, '--json', '--limit', '1'])).stdout));
    expect(history[0]).toMatchObject({ seq: 7, kind: 'rollback', trigger: 'auto-rollback', status: 'live' });
  });
});

function waitForText(stream: NodeJS.ReadableStream, text: string, timeoutMs = 30_000): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`"${text}" did not appear within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer | string): void => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve();
      }
    };
    stream.on('data', onData);
  });
}
