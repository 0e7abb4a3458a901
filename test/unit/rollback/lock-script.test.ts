import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { clean, describeHolder, lockPaths, parseRead, parseTake, readScript, releaseScript, takeScript } from '../../../electron/core/locks/lock-script';

// The lock's shell scripts run here in a local sh with a HOME of their own: the same POSIX sh a server runs.
let home: string;
const paths = lockPaths('ABCD:EFGH:1234', 'web');
const sh = (script: string) => execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
const alice = { token: 'tok-a', owner: 'alice', host: 'laptop-a', pid: 11, operation: 'deploy #3' };
const bob = { token: 'tok-b', owner: 'bob', host: 'laptop-b', pid: 22, operation: 'rollback #4' };

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'berth-lock-'));
});

describe('the lock file scripts', () => {
  it('keep one lock per daemon and app under ~/.berth/locks', () => {
    expect(paths.file).toBe('$HOME/.berth/locks/ABCD-EFGH-1234/web.lock');
  });

  it('give the lock to the first taker and name it to the second', () => {
    expect(parseTake(sh(takeScript(paths, alice, 30, false))).kind).toBe('ok');
    const second = parseTake(sh(takeScript(paths, bob, 30, false)));
    expect(second).toMatchObject({ kind: 'held', holder: { owner: 'alice', host: 'laptop-a', pid: 11, operation: 'deploy #3' } });
    expect(parseRead(sh(readScript(paths)))).toMatchObject({ owner: 'alice', token: 'tok-a' });
  });

  it('let the holder take it again and renew it, keeping its start time', () => {
    sh(takeScript(paths, alice, 30, false));
    const before = parseRead(sh(readScript(paths)));
    expect(parseTake(sh(takeScript(paths, alice, 60, true))).kind).toBe('ok');
    const after = parseRead(sh(readScript(paths)));
    expect(after?.startedAt).toBe(before?.startedAt);
    expect(Date.parse(after?.expiresAt ?? '')).toBeGreaterThan(Date.parse(before?.expiresAt ?? ''));
  });

  it('report a renewal of a lock someone else holds now as lost', () => {
    sh(takeScript(paths, bob, 30, false));
    expect(parseTake(sh(takeScript(paths, alice, 30, true)))).toMatchObject({ kind: 'lost', holder: { owner: 'bob' } });
    sh(releaseScript(paths, 'tok-b'));
    expect(parseTake(sh(takeScript(paths, alice, 30, true)))).toMatchObject({ kind: 'lost', holder: null });
  });

  it('let anyone take an expired lock', () => {
    sh(`mkdir -p "${paths.dir}"; printf 'token=old\\nowner=ghost\\nhost=h\\npid=1\\noperation=x\\nstarted=1\\nexpires=2\\n' > "${paths.file}"`);
    expect(parseRead(sh(readScript(paths)))).toBeNull();
    expect(parseTake(sh(takeScript(paths, bob, 30, false))).kind).toBe('ok');
  });

  it('release only a lock that is still the releaser’s', () => {
    sh(takeScript(paths, alice, 30, false));
    sh(releaseScript(paths, 'tok-b'));
    expect(parseRead(sh(readScript(paths)))?.owner).toBe('alice');
    sh(releaseScript(paths, 'tok-a'));
    expect(parseRead(sh(readScript(paths)))).toBeNull();
  });

  it('wait out a mutex left by a session that died mid-script', () => {
    sh(`mkdir -p "${paths.dir}" && mkdir "${paths.file.replace('$HOME', home)}.mutex"`);
    expect(parseTake(sh(takeScript(paths, alice, 30, false))).kind).toBe('ok');
  });

  it('keep names that would break the file or the shell out of it', () => {
    expect(clean("eve'; rm -rf /\nexpires=9")).toBe('eve rm -rf /expires9');
    sh(takeScript(paths, { ...alice, owner: "eve'; touch pwned\nexpires=9999999999" }, 30, false));
    expect(parseRead(sh(readScript(paths)))?.owner).toBe('eve touch pwnedexpires9999999999');
  });

  it('say unreadable output as an error', () => {
    expect(parseTake('')).toMatchObject({ kind: 'error' });
    writeFileSync(join(home, 'x'), '');
    expect(parseTake('HELD\nnow=5\ngarbage')).toMatchObject({ kind: 'error' });
  });

  it('describe the holder in one sentence a refusal can use', () => {
    const holder = { owner: 'alice', host: 'laptop-a', pid: 11, operation: 'deploy #3', startedAt: '2026-01-01T10:00:00.000Z', expiresAt: '2026-01-01T10:00:30.000Z' };
    expect(describeHolder('web', holder)).toBe('alice on laptop-a (pid 11) holds the deploy lock of web for deploy #3 since 10:00:00 UTC; it expires by itself at 10:00:30 UTC unless renewed');
  });
});
