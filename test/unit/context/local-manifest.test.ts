import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localContext } from '../../../electron/core/context/local-manifest';

const build = { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false };

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
  writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
  writeFileSync(join(root, '.dockerignore'), 'Dockerfile\nlogs\n*.tmp\n');
  mkdirSync(join(root, 'logs'));
  writeFileSync(join(root, 'logs', 'a.log'), 'x');
  writeFileSync(join(root, 'scratch.tmp'), 'x');
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'run.sh'), 'echo hi\n');
  chmodSync(join(root, 'run.sh'), 0o750);
  symlinkSync('run.sh', join(root, 'start'));
  return root;
}

describe('the entries of a local build context', () => {
  it('leaves out what .dockerignore excludes but keeps the Dockerfile and the .dockerignore', async () => {
    const { entries } = await localContext(folder(), build);
    expect(entries.map((e) => e.path)).toEqual(['.dockerignore', 'Dockerfile', 'empty', 'run.sh', 'start']);
  });

  it('records modes, empty folders, link targets and content hashes', async () => {
    const { entries } = await localContext(folder(), build);
    const by = new Map(entries.map((e) => [e.path, e]));
    expect(by.get('run.sh')).toMatchObject({ type: 'file', mode: 0o750, size: 8 });
    expect(by.get('run.sh')?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(by.get('empty')).toMatchObject({ type: 'dir', hash: '' });
    expect(by.get('start')).toMatchObject({ type: 'symlink', linkTarget: 'run.sh' });
  });

  it('hashes a file again once its content changed', async () => {
    const root = folder();
    const before = (await localContext(root, build)).entries.find((e) => e.path === 'run.sh')?.hash;
    writeFileSync(join(root, 'run.sh'), 'echo bye\n');
    const after = (await localContext(root, build)).entries.find((e) => e.path === 'run.sh')?.hash;
    expect(after).not.toBe(before);
  });

  it('refuses a context without its Dockerfile', async () => {
    await expect(localContext(folder(), { ...build, dockerfile: 'web.Dockerfile' })).rejects.toThrow(/There is no web.Dockerfile/);
  });
});
