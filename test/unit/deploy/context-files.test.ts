import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildSettings } from '../../../shared/api/apps';
import { contextPath, withExtraFiles } from '../../../electron/core/deploy/context-files';
import { packFolder } from '../../../electron/core/deploy/source-folder';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) execFileSync('rm', ['-rf', dir]);
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-ctx-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function entries(tar: Readable): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      if (header.type === 'file') found[header.name.replace(/^\.\//, '')] = Buffer.concat(chunks).toString();
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    reader.on('finish', () => resolve());
    reader.on('error', reject);
    tar.on('error', reject);
  });
  tar.pipe(reader as unknown as NodeJS.WritableStream);
  await done;
  return found;
}

describe('packFolder with extra files', () => {
  it('adds a generated Dockerfile to a folder that has none, leaving the folder as it was', async () => {
    const dir = folder({ 'index.html': '<h1>hi</h1>' });
    const build = BuildSettings.parse({ dockerfile: '.berth/Dockerfile' });
    const found = await entries(packFolder(dir, build, [{ path: '.berth/Dockerfile', content: 'FROM scratch\n' }]));
    expect(found).toEqual({ 'index.html': '<h1>hi</h1>', '.berth/Dockerfile': 'FROM scratch\n' });
    expect(readdirSync(dir)).toEqual(['index.html']);
  });

  it("replaces the folder's own file of the same path", async () => {
    const dir = folder({ Dockerfile: 'FROM old\n', 'a.txt': 'a' });
    const found = await entries(packFolder(dir, BuildSettings.parse({}), [{ path: './Dockerfile', content: 'FROM new\n' }]));
    expect(found).toEqual({ Dockerfile: 'FROM new\n', 'a.txt': 'a' });
  });
});

describe('withExtraFiles', () => {
  it('appends to a git archive stream and drops the entry it replaces', async () => {
    const repo = folder({ Dockerfile: 'FROM old\n', 'src/app.js': 'console.log(1)\n' });
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    const archive = spawn('git', ['-C', repo, 'archive', '--format=tar', 'HEAD']).stdout;
    const found = await entries(withExtraFiles(archive, [{ path: 'Dockerfile', content: 'FROM new\n' }]));
    expect(found).toEqual({ 'src/app.js': 'console.log(1)\n', Dockerfile: 'FROM new\n' });
  });

  it('passes an error of the source stream on', async () => {
    const archive = spawn('git', ['-C', tmpdir(), 'archive', '--format=tar', 'no-such-ref']).stdout;
    archive.on('end', () => archive.destroy(new Error('git archive failed')));
    await expect(entries(withExtraFiles(archive, [{ path: 'Dockerfile', content: 'x' }]))).rejects.toThrow('git archive failed');
  });
});

describe('contextPath', () => {
  it('refuses a path that leaves the build context', () => {
    expect(() => contextPath('../Dockerfile')).toThrow(/inside the build context/);
    expect(() => contextPath('/etc/passwd')).toThrow(/inside the build context/);
  });
});
