import { describe, expect, it } from 'vitest';
import { archiveRootProblem } from '../../../shared/api/archives';
import { ArchiveLayout } from '../../../electron/core/archive/archive-layout';
import { checkEntry, rootSegments, type EntryFacts } from '../../../electron/core/archive/entry-check';

const file = (name: string): EntryFacts => ({ name, kind: 'file' });
const link = (name: string, linkTarget: string): EntryFacts => ({ name, kind: 'symlink', linkTarget });
const refusal = (entry: EntryFacts, root = '') => {
  const verdict = checkEntry(entry, rootSegments(root));
  return verdict.action === 'refuse' ? { code: verdict.error.code, message: verdict.error.message } : verdict;
};

describe('checking one archive entry', () => {
  it('keeps a file at its path, cleaned of ./ and doubled slashes', () => {
    expect(checkEntry(file('./src//app.js'), [])).toEqual({ action: 'keep', path: 'src/app.js' });
  });

  it('keeps a file below the root at its path relative to the root', () => {
    expect(checkEntry(file('site/css/main.css'), ['site'])).toEqual({ action: 'keep', path: 'css/main.css' });
  });

  it('skips entries outside the root and the root folder itself', () => {
    expect(checkEntry(file('other/x'), ['site'])).toEqual({ action: 'skip' });
    expect(checkEntry(file('sitemap.xml'), ['site'])).toEqual({ action: 'skip' });
    expect(checkEntry({ name: 'site/', kind: 'directory' }, ['site'])).toEqual({ action: 'skip' });
  });

  it('refuses a path that climbs out with ..', () => {
    expect(refusal(file('a/../../etc/passwd'))).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('"a/../../etc/passwd" climbs out of the archive') });
  });

  it('refuses a .. even when it would land back inside', () => {
    expect(refusal(file('a/../b'))).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('refuses .. written with backslashes', () => {
    expect(refusal(file('..\\..\\evil.sh'))).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('refuses absolute paths and drive letters', () => {
    expect(refusal(file('/etc/cron.d/x'))).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('is an absolute path') });
    expect(refusal(file('C:\\Windows\\x'))).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('is an absolute path') });
  });

  it('refuses an unsafe entry even outside the chosen root', () => {
    expect(refusal(file('../x'), 'site')).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('keeps a link that stays inside the root', () => {
    expect(checkEntry(link('site/current', 'releases/v2'), ['site'])).toEqual({ action: 'keep', path: 'current', linkTarget: 'releases/v2' });
    expect(checkEntry(link('a/b/up', '../c'), [])).toEqual({ action: 'keep', path: 'a/b/up', linkTarget: '../c' });
  });

  it('refuses a link to an absolute path', () => {
    expect(refusal(link('passwd', '/etc/passwd'))).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('link to the absolute path "/etc/passwd"') });
  });

  it('refuses a link that climbs above the root', () => {
    expect(refusal(link('a/out', '../../x'))).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('outside the build root') });
  });

  it('refuses a link that leaves the chosen root though it stays in the archive', () => {
    expect(refusal(link('site/secrets', '../private/key'), 'site')).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('refuses a link with no target', () => {
    expect(refusal(link('x', ''))).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('keeps a hard link to a file below the root, named from the root', () => {
    expect(checkEntry({ name: 'site/b', kind: 'hardlink', linkTarget: 'site/a' }, ['site'])).toEqual({ action: 'keep', path: 'b', linkTarget: 'a' });
  });

  it('refuses a hard link to a file outside the root', () => {
    expect(refusal({ name: 'site/b', kind: 'hardlink', linkTarget: 'other/a' }, 'site')).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('hard link') });
    expect(refusal({ name: 'b', kind: 'hardlink', linkTarget: '../a' })).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('refuses devices and pipes', () => {
    expect(refusal({ name: 'dev/sda', kind: 'other' })).toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('device or a pipe') });
  });
});

describe('checking the root a user gives', () => {
  it('accepts a folder path and none', () => {
    expect(archiveRootProblem('app/web')).toBeNull();
    expect(archiveRootProblem('')).toBeNull();
  });

  it('names an absolute path, a .. and a control character', () => {
    expect(archiveRootProblem('/srv')).toBe('is an absolute path');
    expect(archiveRootProblem('a/../..')).toBe('goes up with ".."');
    expect(archiveRootProblem('a\nb')).toContain('newline');
  });
});

describe('the archive layout', () => {
  const seen = (layout: ArchiveLayout, names: string[], root: string[]) => {
    for (const name of names) {
      const parts = name.split('/').filter(Boolean);
      const inside = parts.length > root.length && root.every((r, i) => parts[i] === r);
      layout.see(parts, inside ? parts.slice(root.length).join('/') : null);
    }
    return layout;
  };

  it('is fine with a Dockerfile at the root', () => {
    expect(seen(new ArchiveLayout('a.zip', [], 'Dockerfile'), ['Dockerfile', 'index.html'], []).problem({ dockerfileRequired: true })).toBeNull();
  });

  it('names a root that is not in the archive', () => {
    const problem = seen(new ArchiveLayout('a.zip', ['web'], 'Dockerfile'), ['api/Dockerfile'], ['web']).problem({ dockerfileRequired: true });
    expect(problem).toMatchObject({ code: 'ARCHIVE_ROOT_MISSING', message: expect.stringContaining('has no folder "web"') });
  });

  it('counts an empty root folder as there', () => {
    const problem = seen(new ArchiveLayout('a.zip', ['web'], 'Dockerfile'), ['web/'], ['web']).problem({ dockerfileRequired: true });
    expect(problem?.code).toBe('DOCKERFILE_MISSING');
  });

  it('suggests the single top folder that holds the Dockerfile', () => {
    const problem = seen(new ArchiveLayout('shop-main.zip', [], 'Dockerfile'), ['shop-main/', 'shop-main/Dockerfile', 'shop-main/app.js'], []).problem({ dockerfileRequired: true });
    expect(problem).toMatchObject({ code: 'DOCKERFILE_MISSING', message: expect.stringContaining('set the root to shop-main (--root shop-main)') });
  });

  it('needs no Dockerfile when the build brings one', () => {
    expect(seen(new ArchiveLayout('a.zip', [], 'Dockerfile'), ['index.html'], []).problem({ dockerfileRequired: false })).toBeNull();
  });
});
