import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeployBed, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { entriesOfFolder, writeTarGz, writeZip, type TestEntry } from '../../support/archive-files';
import { loadSandbox } from '../../support/sandbox';
import { Deployment } from '../../../shared/api/deployments';
import { berth, newHome, parseJson, serverAddArgs } from '../cli/harness';

const prefix = uniquePrefix('arc');
const port = PROXY_PORTS.s1;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
const name = `${prefix}-site`;
const dir = mkdtempSync(join(tmpdir(), 'berth-archive-it-'));
/** The command line's own home, engine and app. */
const cliHome = newHome('archive');
const cliApp = `${prefix}-cli`;
let bed: DeployBed;
let serverId: string;

/** The test web app saying `version`, its files under `top`. */
function webApp(version: string, top = ''): TestEntry[] {
  return entriesOfFolder(loadSandbox().fixtures.webApp, top).map((e) =>
    e.name === `${top}Dockerfile` ? { ...e, content: String(e.content).replace(/^ARG VERSION=v1$/m, `ARG VERSION=${version}`) } : e,
  );
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const history = async () => (await bed.call('deployments.list', { serverId, app: name })).length;

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name,
    source: { kind: 'archive', root: 'site-main' },
    runtime: { domains: [`${name}.test`], healthCheck: health },
  });
});

afterAll(async () => {
  for (const app of [name, `${prefix}-static`]) await bed?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await berth(cliHome, ['app', 'remove', cliApp, '--yes']).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
  rmSync(dir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
});

describe('deploying a dropped archive', () => {
  it('builds a zip from the app\'s root folder inside it and records the file, its size, sha256 and root', async () => {
    const path = writeZip(join(dir, 'site-main.zip'), webApp('v-zip', 'site-main/'));
    const queued = await bed.call('deployments.deploy', { serverId, app: name, archive: { path } });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.title).toBe('Deploy site-main.zip');
    expect(done.source.archive).toEqual({ name: 'site-main.zip', size: readFileSync(path).length, sha256: sha256(path), format: 'zip', root: 'site-main' });
    expect(await httpGet(port, `${name}.test`)).toEqual({ status: 200, body: 'v-zip\n' });
  });

  it('builds a .tar.gz sent in chunks over the bridge, from its top, and removes the upload once deployed', async () => {
    const path = await writeTarGz(join(dir, 'site.tgz'), webApp('v-tgz'));
    const bytes = readFileSync(path);
    const { uploadId } = await bed.call('uploads.open', { name: 'site.tgz', size: bytes.length });
    const half = Math.ceil(bytes.length / 2);
    await bed.call('uploads.write', { uploadId, offset: 0, data: bytes.subarray(0, half).toString('base64') });
    await bed.call('uploads.write', { uploadId, offset: half, data: bytes.subarray(half).toString('base64') });
    await bed.call('uploads.close', { uploadId });
    const queued = await bed.call('deployments.deploy', { serverId, app: name, archive: { uploadId, root: '' } });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.source.archive).toMatchObject({ name: 'site.tgz', sha256: sha256(path), format: 'tar.gz', root: '' });
    expect(await httpGet(port, `${name}.test`)).toEqual({ status: 200, body: 'v-tgz\n' });
    expect(readdirSync(bed.engine.paths.uploads)).toEqual([]);
  });

  it('serves an archive without a Dockerfile as a static site, with the Dockerfile Berth writes', async () => {
    const staticApp = `${prefix}-static`;
    await bed.call('apps.create', {
      serverId,
      name: staticApp,
      source: { kind: 'archive', root: 'public' },
      build: { mode: 'static', baseImages: { static: loadSandbox().images.base } },
      runtime: { domains: [`${staticApp}.test`], healthCheck: health },
    });
    const path = await writeTarGz(join(dir, 'public.tgz'), entriesOfFolder(resolve(__dirname, '../../fixtures/stacks/static-site'), 'public/'));
    const queued = await bed.call('deployments.deploy', { serverId, app: staticApp, archive: { path } });
    const done = await bed.waitFor(serverId, queued.id, ['live', 'failed']);
    expect(done.error).toBeNull();
    expect(done.buildPlan).toMatchObject({ mode: 'static', stack: 'static' });
    expect((await httpGet(port, `${staticApp}.test`)).body).toContain('<h1>static site v1</h1>');
  });

  it('asks for an archive when an archive app is deployed without one', async () => {
    await expect(bed.call('deployments.deploy', { serverId, app: name })).rejects.toMatchObject({ code: 'SOURCE_INVALID', message: expect.stringContaining('--archive FILE') });
  });
});

describe('berth deploy --archive', () => {
  it('deploys an app added with --archive-drop from the archive and the root given', async () => {
    const s1 = loadSandbox().servers.find((s) => s.name === 's1')!;
    expect((await berth(cliHome, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint])).code).toBe(0);
    const added = await berth(cliHome, ['app', 'add', cliApp, '--server', 's1', '--archive-drop', '--domain', `${cliApp}.test`, '--health-path', '/health', '--health-interval', '300ms']);
    expect(added.code, added.stderr).toBe(0);
    const path = writeZip(join(dir, 'cli.zip'), webApp('v-cli', 'web/'));
    const run = await berth(cliHome, ['deploy', cliApp, '--archive', path, '--root', 'web', '--no-watch', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(Deployment.parse(parseJson(run.stdout)).source.archive).toMatchObject({ name: 'cli.zip', root: 'web', sha256: sha256(path) });
    expect(await httpGet(port, `${cliApp}.test`)).toEqual({ status: 200, body: 'v-cli\n' });
  });

  it('exits 3 with the cause when the archive is refused', async () => {
    const path = writeZip(join(dir, 'cli-slip.zip'), [...webApp('v-bad'), { name: '../escape', content: 'x' }]);
    const run = await berth(cliHome, ['deploy', cliApp, '--archive', path, '--no-watch']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('ARCHIVE_UNSAFE');
    expect(run.stderr).toContain('"../escape" climbs out of the archive');
  });
});

describe('refusing an archive before anything is recorded or sent', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const refusals: Array<[string, () => Promise<string> | string, string, Record<string, string>?]> = [
    ['an entry climbing out with ../ (zip-slip)', () => writeZip(join(dir, 'slip.zip'), [...webApp('v-bad', 'site-main/'), { name: 'site-main/../../../tmp/evil.sh', content: 'x' }]), 'ARCHIVE_UNSAFE'],
    ['an absolute path', () => writeTarGz(join(dir, 'abs.tgz'), [...webApp('v-bad', 'site-main/'), { name: '/etc/cron.d/evil', content: 'x' }]), 'ARCHIVE_UNSAFE'],
    ['a link pointing out of the root', () => writeTarGz(join(dir, 'link.tgz'), [...webApp('v-bad', 'site-main/'), { name: 'site-main/key', kind: 'symlink', linkTarget: '../../root/.ssh/id_ed25519' }]), 'ARCHIVE_UNSAFE'],
    ['a hard link to a file outside the root', () => writeTarGz(join(dir, 'hard.tgz'), [{ name: 'secret', content: 'x' }, ...webApp('v-bad', 'site-main/'), { name: 'site-main/copy', kind: 'hardlink', linkTarget: 'secret' }]), 'ARCHIVE_UNSAFE'],
    ['a file over the size limit', () => writeZip(join(dir, 'big.zip'), webApp('v-bad', 'site-main/')), 'ARCHIVE_TOO_LARGE', { BERTH_ARCHIVE_MAX_MB: '0.001' }],
    ['a zip that unpacks to more than the limit (a zip bomb)', () => writeZip(join(dir, 'bomb.zip'), [...webApp('v-bad', 'site-main/'), { name: 'site-main/zeros', content: Buffer.alloc(3 * 1024 * 1024) }]), 'ARCHIVE_TOO_LARGE', { BERTH_ARCHIVE_MAX_UNPACKED_MB: '1' }],
    ['a corrupt archive', () => {
      const path = writeZip(join(dir, 'cut.zip'), webApp('v-bad', 'site-main/'));
      writeFileSync(path, readFileSync(path).subarray(0, 200));
      return path;
    }, 'ARCHIVE_CORRUPT'],
    ['a root folder the archive does not have', () => writeZip(join(dir, 'other.zip'), webApp('v-bad', 'web/')), 'ARCHIVE_ROOT_MISSING'],
    ['no Dockerfile in the root', () => writeZip(join(dir, 'nodocker.zip'), webApp('v-bad', 'site-main/').filter((e) => !e.name.endsWith('Dockerfile'))), 'DOCKERFILE_MISSING'],
  ];

  it.each(refusals)('refuses %s', async (_, make, code, env = {}) => {
    const path = await make();
    const before = await history();
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    await expect(bed.call('deployments.deploy', { serverId, app: name, archive: { path } })).rejects.toMatchObject({ code });
    expect(await history()).toBe(before);
  });

  it('kept the last good release serving through every refusal', async () => {
    expect(await httpGet(port, `${name}.test`)).toEqual({ status: 200, body: 'v-tgz\n' });
  });
});
