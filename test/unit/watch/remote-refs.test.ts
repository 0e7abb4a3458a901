import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecOptions } from '../../../electron/core/ssh/server-link';
import { listRemoteRefs, lsRemoteCommand, parseLsRemote, thisComputer } from '../../../electron/core/watch/remote-refs';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('parseLsRemote', () => {
  it('reads branches, tags and pull-request heads', () => {
    const output = [`${A}\trefs/heads/main`, `${B}\trefs/heads/feature/x`, `${C}\trefs/tags/v1`, `${A}\trefs/pull/12/head`, `${B}\trefs/merge-requests/7/head`, ''].join('\n');
    expect(parseLsRemote(output)).toEqual([
      { kind: 'branch', name: 'main', hash: A },
      { kind: 'branch', name: 'feature/x', hash: B },
      { kind: 'tag', name: 'v1', hash: C },
      { kind: 'pull', name: '12', hash: A },
      { kind: 'pull', name: '7', hash: B },
    ]);
  });

  it('gives an annotated tag the commit it points at, whichever line comes first', () => {
    expect(parseLsRemote(`${A}\trefs/tags/v2\n${B}\trefs/tags/v2^{}\n`)).toEqual([{ kind: 'tag', name: 'v2', hash: B }]);
    expect(parseLsRemote(`${B}\trefs/tags/v2^{}\n${A}\trefs/tags/v2\n`)).toEqual([{ kind: 'tag', name: 'v2', hash: B }]);
  });

  it('skips HEAD, other refs, warnings and malformed lines', () => {
    const output = [`${A}\tHEAD`, `${A}\trefs/notes/commits`, 'warning: redirecting to https://example.com/x.git/', 'zzz\trefs/heads/bad', `${A}\trefs/pull/3/merge`].join('\n');
    expect(parseLsRemote(output)).toEqual([]);
  });
});

describe('lsRemoteCommand', () => {
  it('quotes the URL and the ref patterns so the shell expands nothing', () => {
    const command = lsRemoteCommand('https://example.com/a b.git', ['branch', 'tag'], false);
    expect(command).toContain(`ls-remote -- 'https://example.com/a b.git' 'refs/heads/*' 'refs/tags/*'`);
    expect(command).toContain('GIT_TERMINAL_PROMPT=0');
  });
});

describe('listRemoteRefs', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('sends credentials on stdin only, never in the command, and without them in the URL', async () => {
    let seen: { command: string; options: ExecOptions | undefined } | null = null;
    const runner = {
      exec: async (command: string, options?: ExecOptions) => {
        seen = { command, options };
        return { code: 0, stdout: `${A}\trefs/heads/main\n`, stderr: '' };
      },
    };
    const refs = await listRemoteRefs(runner, { url: 'https://bot:s3cret-token@example.com/r.git', credentials: { username: 'bot', password: 's3cret-token' } });
    expect(refs).toEqual([{ kind: 'branch', name: 'main', hash: A }]);
    expect(seen!.command).not.toContain('s3cret-token');
    expect(seen!.command).toContain(`'https://example.com/r.git'`);
    expect(seen!.options?.stdin).toBe('bot\ns3cret-token\n');
  });

  it('refuses a URL that would read as an option', async () => {
    await expect(listRemoteRefs(thisComputer, { url: '--upload-pack=touch /tmp/x', credentials: null })).rejects.toThrow(/starts with "-"/);
  });

  it('lists a real repository from this computer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-refs-'));
    dirs.push(dir);
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'f'), '1');
    git('add', 'f');
    git('commit', '-q', '-m', 'first');
    git('tag', '-a', 'v1', '-m', 'one');
    const head = git('rev-parse', 'HEAD');
    const refs = await listRemoteRefs(thisComputer, { url: dir, credentials: null });
    expect(refs).toEqual([
      { kind: 'branch', name: 'main', hash: head },
      { kind: 'tag', name: 'v1', hash: head },
    ]);
  });

  it('says which remote failed and why', async () => {
    await expect(listRemoteRefs(thisComputer, { url: join(tmpdir(), 'berth-no-such-repo'), credentials: null })).rejects.toThrow(/git ls-remote .*berth-no-such-repo failed \(exit 128\)/);
  });
});
