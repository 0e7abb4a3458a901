import { describe, expect, it } from 'vitest';
import type { AppSource } from '../../../shared/api/apps';
import { openSourceCredentials, sealSourceCredentials, sourceView } from '../../../electron/core/apps/git-credentials';
import { cloneCommand } from '../../../electron/core/deploy/source-git';
import { fetchScript, repoCacheDir } from '../../../electron/core/context/server-git';
import type { SecretStore } from '../../../electron/core/store/secret-store';

/** Seals by wrapping, so a test can tell sealed from plain and see that nothing else carries the value. */
const secrets: SecretStore = {
  seal: async (plain) => `sealed:${Buffer.from(plain).toString('base64')}`,
  open: async (sealed) => Buffer.from(sealed.slice('sealed:'.length), 'base64').toString(),
};

const git = (url: string, extra: Partial<Extract<AppSource, { kind: 'git' }>> = {}): AppSource => ({ kind: 'git', url, ref: 'main', ...extra });

describe('credentials in a git URL', () => {
  it('are taken out of the URL and sealed', async () => {
    const stored = await sealSourceCredentials(git('https://bot:ghp_secret@github.com/acme/api.git'), undefined, secrets);
    expect(stored).toMatchObject({ url: 'https://github.com/acme/api.git', sealedCredentials: expect.stringMatching(/^sealed:/) });
    expect(JSON.stringify(stored)).not.toContain('ghp_secret');
    expect(await openSourceCredentials(stored as Extract<AppSource, { kind: 'git' }>, secrets)).toEqual({ username: 'bot', password: 'ghp_secret' });
  });

  it('are shown only as set', async () => {
    const stored = await sealSourceCredentials(git('https://ghp_token@github.com/acme/api.git'), undefined, secrets);
    expect(sourceView(stored)).toEqual({ kind: 'git', url: 'https://github.com/acme/api.git', ref: 'main', withCredentials: true });
  });

  it('stay sealed when the source comes back from a view with another ref', async () => {
    const stored = await sealSourceCredentials(git('https://bot:t0k@h/a.git'), undefined, secrets);
    const edited = await sealSourceCredentials({ ...sourceView(stored), ref: 'release' } as AppSource, stored, secrets);
    expect(edited).toEqual({ ...stored, ref: 'release' });
  });

  it('are dropped for another repository, and never taken from what a caller sends', async () => {
    const stored = await sealSourceCredentials(git('https://bot:t0k@h/a.git'), undefined, secrets);
    expect(await sealSourceCredentials(git('https://h/b.git', { sealedCredentials: 'sealed:forged' }), stored, secrets)).toEqual(git('https://h/b.git'));
  });

  it('of a URL stored before they were sealed are hidden from views and sealed at the next edit', async () => {
    const legacy = git('https://bot:old@h/a.git');
    expect(sourceView(legacy)).toMatchObject({ url: 'https://h/a.git', withCredentials: true });
    const edited = await sealSourceCredentials({ ...sourceView(legacy), ref: 'x' } as AppSource, legacy, secrets);
    expect(edited).toMatchObject({ url: 'https://h/a.git', ref: 'x', sealedCredentials: expect.stringMatching(/^sealed:/) });
  });

  it('refuses credentials that decode to a control character', async () => {
    await expect(sealSourceCredentials(git('https://bot:a%0Ab@h/a.git'), undefined, secrets)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('leave an ssh user alone', async () => {
    expect(await sealSourceCredentials(git('ssh://git@h/a.git'), undefined, secrets)).toEqual(git('ssh://git@h/a.git'));
  });
});

describe('the clone command', () => {
  it('takes credentials from stdin through a helper, never from its own text', () => {
    const command = cloneCommand('https://h/a.git', '/tmp/berth-git-x', true);
    expect(command).toMatch(/^IFS= read -r BERTH_GIT_USER; IFS= read -r BERTH_GIT_PASSWORD; /);
    expect(command).toContain("git -c credential.helper= -c 'credential.helper=!f()");
    expect(command).toContain("clone --quiet --no-checkout -- 'https://h/a.git' '/tmp/berth-git-x'");
  });

  it('never waits for a password prompt', () => {
    expect(cloneCommand('https://h/a.git', '/tmp/berth-git-x', false)).toBe("GIT_TERMINAL_PROMPT=0 git clone --quiet --no-checkout -- 'https://h/a.git' '/tmp/berth-git-x'");
  });

  it('fetches a pull-request head as a remote branch, and adds nothing for a branch or a tag', () => {
    expect(cloneCommand('https://h/a.git', '/tmp/berth-git-x', false, 'refs/pull/12/head')).toContain("clone --quiet --no-checkout -c 'remote.origin.fetch=+refs/pull/12/head:refs/remotes/origin/refs/pull/12/head' -- ");
    for (const ref of ['main', 'refs/heads/main', 'refs/tags/v1']) expect(cloneCommand('https://h/a.git', '/tmp/berth-git-x', false, ref)).not.toContain('remote.origin.fetch');
  });
});

describe('the fetch script', () => {
  it('takes credentials from stdin through a helper, never from its own text', () => {
    const script = fetchScript('https://h/a.git', repoCacheDir('/home/u', 'D:1', 'web'), 'main', true);
    expect(script).toMatch(/^IFS= read -r BERTH_GIT_USER; IFS= read -r BERTH_GIT_PASSWORD; export BERTH_GIT_USER BERTH_GIT_PASSWORD\n/);
    expect(script).toContain("git -c credential.helper= -c 'credential.helper=!f()");
    expect(script).toContain("fetch --quiet --no-tags --depth 1 -- 'https://h/a.git' 'main'");
  });

  it('never waits for a password prompt and keeps the repository per daemon and app', () => {
    const script = fetchScript('https://h/a.git', repoCacheDir('/home/u/', 'D:1', 'web'), 'refs/pull/12/head', false);
    expect(script).toMatch(/^export GIT_TERMINAL_PROMPT=0\nd='\/home\/u\/.berth\/git\/D-1\/web.git';/);
    expect(script).toContain("-- 'https://h/a.git' 'refs/pull/12/head'");
    expect(script).not.toContain('credential.helper');
  });
});
