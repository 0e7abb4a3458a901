import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildSettings } from '../../../shared/api/apps';
import { archiveContext } from '../../../electron/core/archive/archive-context';
import { checkArchive, type ArchiveLimits } from '../../../electron/core/archive/archive-scan';
import { writeTarGz, writeZip, type TestEntry } from '../../support/archive-files';

const dir = mkdtempSync(join(tmpdir(), 'berth-archive-'));
afterAll(() => execFileSync('rm', ['-rf', dir]));

const limits: ArchiveLimits = { maxBytes: 1024 * 1024, maxUnpackedBytes: 4 * 1024 * 1024, maxEntries: 100 };
const build = BuildSettings.parse({});
let n = 0;
const zip = (entries: TestEntry[]) => writeZip(join(dir, `a${++n}.zip`), entries);
const tgz = (entries: TestEntry[]) => writeTarGz(join(dir, `a${++n}.tar.gz`), entries);
const check = (path: string, root = '', more: Partial<ArchiveLimits> = {}) => checkArchive(path, { name: 'drop', root, build, limits: { ...limits, ...more } });

const project: TestEntry[] = [
  { name: 'site/', kind: 'directory' },
  { name: 'site/Dockerfile', content: 'FROM scratch\nCOPY . /www\n' },
  { name: 'site/.dockerignore', content: 'secret.txt\nlogs\n' },
  { name: 'site/index.html', content: '<h1>hi</h1>' },
  { name: 'site/run.sh', content: '#!/bin/sh\n', mode: 0o4755 },
  { name: 'site/secret.txt', content: 'no' },
  { name: 'site/logs/', kind: 'directory' },
  { name: 'site/logs/a.log', content: 'x' },
  { name: 'site/current', kind: 'symlink', linkTarget: 'index.html' },
  { name: 'README.md', content: 'outside the root' },
];

interface SentEntry {
  type: string;
  mode: number;
  uid: number;
  body: string;
  linkname: string | null;
}

/** What the daemon would receive, or the error the stream broke off with. */
async function contextOf(stream: Readable): Promise<Record<string, SentEntry>> {
  const reader = extract();
  const broken = new Promise<never>((_, reject) => stream.on('error', reject));
  stream.pipe(reader as unknown as NodeJS.WritableStream);
  const read = async () => {
    const found: Record<string, SentEntry> = {};
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      found[entry.header.name] = { type: entry.header.type, mode: entry.header.mode, uid: entry.header.uid, body: Buffer.concat(chunks).toString(), linkname: entry.header.linkname || null };
    }
    return found;
  };
  return Promise.race([read(), broken]);
}

describe.each([
  ['zip', zip],
  ['tar.gz', tgz],
] as const)('a %s archive', (format, write) => {
  it('is checked, recorded with its sha256, and sent as the root folder minus what .dockerignore leaves out', async () => {
    const path = await write(project);
    const checked = await check(path, 'site');
    expect(checked.info).toEqual({ name: 'drop', size: readFileSync(path).length, sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), format, root: 'site' });
    const context = await contextOf(archiveContext(checked).stream);
    expect(Object.keys(context).sort()).toEqual(['.dockerignore', 'Dockerfile', 'current', 'index.html', 'run.sh']);
    expect(context['index.html']).toMatchObject({ type: 'file', body: '<h1>hi</h1>', uid: 0 });
    expect(context['run.sh']?.mode).toBe(0o755);
    expect(context.current).toMatchObject({ type: 'symlink', linkname: 'index.html' });
  });

  it('puts extra files in place of its own', async () => {
    const checked = await check(await write(project), 'site');
    const context = await contextOf(archiveContext(checked, [{ path: 'Dockerfile', content: 'FROM generated\n' }]).stream);
    expect(context.Dockerfile?.body).toBe('FROM generated\n');
  });

  it('is refused when an entry climbs out of it', async () => {
    await expect(check(await write([{ name: 'Dockerfile', content: 'FROM x' }, { name: '../../evil.sh', content: 'x' }]))).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });

  it('is refused when a link points out of the root', async () => {
    await expect(check(await write([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'k', kind: 'symlink', linkTarget: '/root/.ssh/id_rsa' }]))).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE', message: expect.stringContaining('/root/.ssh/id_rsa') });
  });

  it('is refused when the root is not in it', async () => {
    await expect(check(await write(project), 'web')).rejects.toMatchObject({ code: 'ARCHIVE_ROOT_MISSING' });
  });

  it('is refused without a Dockerfile at the root, with the folder that has one named', async () => {
    await expect(check(await write(project.filter((e) => e.name !== 'README.md')))).rejects.toMatchObject({ code: 'DOCKERFILE_MISSING', message: expect.stringContaining('--root site') });
  });

  it('is refused when it unpacks to more than the limit', async () => {
    const zeros = Buffer.alloc(2 * 1024 * 1024);
    await expect(check(await write([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'big', content: zeros }]), '', { maxUnpackedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringContaining('unpacks to more than 1.0 MiB') });
  });

  it('is refused when the file is over the size limit, before it is read', async () => {
    await expect(check(await write(project), 'site', { maxBytes: 100 })).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE', message: expect.stringContaining('over the archive limit of 100 B') });
  });

  it('is refused when it holds too many entries', async () => {
    await expect(check(await write(project), 'site', { maxEntries: 3 })).rejects.toMatchObject({ code: 'ARCHIVE_TOO_LARGE' });
  });

  it('is refused when it is cut short', async () => {
    const path = await write(project);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(check(path, 'site')).rejects.toMatchObject({ code: 'ARCHIVE_CORRUPT' });
  });
});

describe('an archive built without a Dockerfile of its own', () => {
  const site: TestEntry[] = [
    { name: 'app/package.json', content: '{"name":"shop","scripts":{"start":"node server.js"}}' },
    { name: 'app/server.js', content: 'x' },
    { name: 'app/node_modules/left-pad/index.js', content: 'x' },
  ];

  it('needs none for a static or zero-config build', async () => {
    const path = await tgz(site);
    await expect(checkArchive(path, { name: 'drop', root: 'app', build: BuildSettings.parse({ mode: 'static' }), limits })).resolves.toMatchObject({ facts: null });
  });

  it('gathers what zero-config detection reads, leaving dependency folders out', async () => {
    const checked = await checkArchive(await tgz(site), { name: 'drop', root: 'app', build: BuildSettings.parse({ mode: 'auto' }), limits });
    expect(checked.facts).toEqual({ files: ['package.json', 'server.js'], contents: { 'package.json': '{"name":"shop","scripts":{"start":"node server.js"}}' } });
  });
});

describe('archives that are not what they claim', () => {
  it('refuses a zip entry whose size lies about what it unpacks to', async () => {
    const path = zip([{ name: 'Dockerfile', content: 'FROM x' }, { name: 'bomb', content: Buffer.alloc(64 * 1024), claimedSize: 10 }]);
    const checked = await check(path);
    const context = archiveContext(checked);
    await expect(contextOf(context.stream)).rejects.toThrow();
    expect(context.failure()).toMatchObject({ code: 'ARCHIVE_CORRUPT' });
  });

  it('refuses a file that is neither zip nor tar.gz', async () => {
    const path = join(dir, 'notes.zip');
    writeFileSync(path, 'just text');
    await expect(check(path)).rejects.toMatchObject({ code: 'SOURCE_INVALID', message: expect.stringContaining('neither a .zip nor a .tar.gz') });
  });

  it('refuses a path with no file', async () => {
    await expect(check(join(dir, 'missing.zip'))).rejects.toMatchObject({ code: 'SOURCE_INVALID', message: expect.stringContaining('There is no archive file') });
  });

  it('refuses to send a file that changed after its check', async () => {
    const path = await tgz(project);
    const checked = await check(path, 'site');
    writeFileSync(path, readFileSync(path));
    const context = archiveContext({ ...checked, mtimeMs: checked.mtimeMs - 1000 });
    await expect(contextOf(context.stream)).rejects.toThrow();
    expect(context.failure()).toMatchObject({ code: 'SOURCE_INVALID', message: expect.stringContaining('changed') });
  });
});
