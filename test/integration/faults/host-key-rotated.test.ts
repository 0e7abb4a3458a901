import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSandbox } from '../../support/sandbox';
import { berth, newHome, parseJson, repoRoot, scriptPath, serverAddArgs, settle, startBerthOnTerminal } from '../cli/harness';

// s1 gets a new host key, as after a reinstall; the original goes back afterwards (other suites trust it).
const s1 = loadSandbox().servers.find((s) => s.name === 's1')!;
const rotate = (...args: string[]): string =>
  execFileSync('bash', [join(repoRoot, 'test', 'sandbox', 'rotate-host-key'), 's1', ...args], { encoding: 'utf8' }).trim();
const NAME = 'rotated';
let home: string;
let rotated: string;

/** The SSH link's state as `server show` reports it (its exit code also counts the shared proxy's health). */
async function sshState(): Promise<string> {
  const run = await berth(home, ['server', 'show', NAME, '--json']);
  return z.object({ health: z.object({ ssh: z.object({ state: z.string() }) }) }).parse(parseJson(run.stdout)).health.ssh.state;
}

beforeAll(async () => {
  home = newHome('host-key');
  const added = await berth(home, [...serverAddArgs(NAME, s1), '--accept-host-key', s1.hostKeyFingerprint]);
  expect(added.code, added.stderr).toBe(0);
  rotated = rotate();
});

afterAll(() => {
  rotate('--restore');
  rmSync(home, { recursive: true, force: true });
});

describe('a server whose host key changed', () => {
  it('is refused with exit 3, naming the trusted and the presented fingerprint', async () => {
    expect(rotated).not.toBe(s1.hostKeyFingerprint);
    const run = await berth(home, ['server', 'show', NAME, '--json']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('HOST_KEY_CHANGED');
    expect(run.stdout).toContain(s1.hostKeyFingerprint);
    expect(run.stdout).toContain(rotated);
  });

  it('is not trusted by `berth server trust` without a terminal or --yes: exit 3, both fingerprints named', async () => {
    const run = await berth(home, ['server', 'trust', NAME]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(s1.hostKeyFingerprint);
    expect(run.stderr).toContain(`--fingerprint ${rotated}`);
    expect((await berth(home, ['server', 'show', NAME])).code).toBe(3);
  });

  it('is not trusted when --fingerprint names another key', async () => {
    const run = await berth(home, ['server', 'trust', NAME, '--fingerprint', s1.hostKeyFingerprint]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`presents ${rotated}, not ${s1.hostKeyFingerprint}`);
  });

  it.skipIf(!scriptPath)('is asked about on a terminal, showing both fingerprints, and stays untrusted after no', async () => {
    const child = startBerthOnTerminal(home, ['server', 'trust', NAME]);
    const run = settle(child, 60_000);
    let screen = '';
    child.stdout.on('data', (chunk: string) => {
      const asked = screen.includes('from now on? [y/N]');
      screen += chunk;
      if (!asked && screen.includes('from now on? [y/N]')) child.stdin.write('n\r');
    });
    const result = await run;
    expect(result.stdout).toContain(`it was ${s1.hostKeyFingerprint} and is now ${rotated}`);
    expect(result.code, result.stdout).toBe(1);
    expect((await berth(home, ['server', 'show', NAME])).code).toBe(3);
  });

  it('is trusted by `berth server trust --fingerprint` with the new key, and later commands connect', async () => {
    const run = await berth(home, ['server', 'trust', NAME, '--fingerprint', rotated, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toEqual({ serverId: NAME, trusted: rotated, previous: [s1.hostKeyFingerprint], changed: true });
    expect(await sshState()).toBe('ok');
  });

  it('says there is nothing to do when the key is already trusted', async () => {
    const run = await berth(home, ['server', 'trust', NAME, '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('already trusts');
  });
});

describe('forgetting a host key', () => {
  it('drops the key Berth recorded, so the next connection without a terminal is refused as unknown', async () => {
    const forgot = await berth(home, ['server', 'forget-key', NAME]);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toContain('Forgot 1 host key');
    const run = await berth(home, ['server', 'show', NAME, '--json']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('HOST_KEY_UNKNOWN');
    expect(run.stdout).toContain(rotated);
  });

  it('lets `berth server trust --yes` trust the key a forgotten server presents', async () => {
    const run = await berth(home, ['server', 'trust', NAME, '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Trusted ${rotated}`);
    expect(await sshState()).toBe('ok');
  });
});
