import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, docker, httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed, runOnServer } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';

const prefix = uniquePrefix('ctx');
const app = `${prefix}-web`;
const port = PROXY_PORTS.s1;
const health = { kind: 'http' as const, path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 10, startPeriodMs: 0 };
let bed: DeployBed;
let serverId: string;
let folder = '';

const onServer = (command: string): Promise<string> => runOnServer(bed.engine, serverId, command);

const cache = (): string => `"$HOME"/.berth/contexts/${loadSandbox().servers[0]?.dockerId.replace(/[^A-Za-z0-9]+/g, '-')}/${app}`;
const tree = (): string => `${cache()}/tree`;

/** Deploys the app; returns its build-context log line (`N of M files to send, R removed, K kept…`) and the bytes it sent. */
async function deploy(): Promise<{ line: string; sentBytes: number }> {
  const queued = await bed.call('deployments.deploy', { serverId, app });
  const done = await bed.waitFor(serverId, queued.id, ['live', 'failed'], 120_000);
  expect(done.error).toBeNull();
  const { lines } = await bed.call('logs.deployment', { serverId, deploymentId: done.id });
  const line = lines.find((l) => l.text.startsWith('Build context:'))?.text ?? '';
  const sent = lines.find((l) => l.text.startsWith('Sent '))?.text ?? '';
  const [, amount = 'NaN', unit = 'B'] = /^Sent ([\d.]+) (B|KiB|MiB) for the build context/.exec(sent) ?? [];
  return { line, sentBytes: Number(amount) * ({ B: 1, KiB: 1024, MiB: 1024 * 1024 }[unit] ?? NaN) };
}

beforeAll(async () => {
  bed = await createDeployBed();
  serverId = bed.servers.s1;
  folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  cpSync(loadSandbox().fixtures.webApp, folder, { recursive: true });
  // the image keeps the context under /ctx, so its modes and empty folders can be looked at
  writeFileSync(join(folder, 'Dockerfile'), `${readFileSync(join(folder, 'Dockerfile'), 'utf8')}COPY . /ctx/\n`);
  writeFileSync(join(folder, 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 7));
  writeFileSync(join(folder, 'run.sh'), 'echo run\n');
  chmodSync(join(folder, 'run.sh'), 0o750);
  mkdirSync(join(folder, 'empty'));
  mkdirSync(join(folder, 'notes'));
  writeFileSync(join(folder, 'notes', 'old.txt'), 'to be removed\n');
  await bed.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: folder },
    runtime: { domains: [`${app}.test`], healthCheck: health },
  });
});

afterAll(async () => {
  await bed?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  if (bed) await onServer(`rm -rf ${cache()}`).catch(() => undefined);
  await bed?.close();
  await removeByPrefix('s1', prefix);
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('a folder deploy keeps its build context on the server', () => {
  it('sends every file the first time, with their modes and empty folders', async () => {
    const first = await deploy();
    expect(first.line).toMatch(/^Build context: 6 of 6 files to send/);
    expect(first.sentBytes).toBeGreaterThan(4_000_000);
    const listing = await docker('s1', ['run', '--rm', `${app}:1`, 'sh', '-c', 'stat -c "%a %F %n" /ctx/run.sh /ctx/empty']);
    expect(listing).toContain('750 regular file /ctx/run.sh');
    expect(listing).toContain('directory /ctx/empty');
  });

  it('sends only the changed file next time and deletes the removed one', async () => {
    const before = await onServer(`stat -c '%i %Z' ${tree()}/big.bin`);
    writeFileSync(join(folder, 'Dockerfile'), readFileSync(join(folder, 'Dockerfile'), 'utf8').replace('ARG VERSION=v1', 'ARG VERSION=v2'));
    unlinkSync(join(folder, 'notes', 'old.txt'));
    const second = await deploy();
    expect(second.line).toMatch(/^Build context: 1 of 5 files to send.*, 1 removed, 4 kept/);
    expect(second.sentBytes).toBeLessThan(16 * 1024);
    expect(await onServer(`stat -c '%i %Z' ${tree()}/big.bin`)).toBe(before);
    expect(await onServer(`ls -A ${tree()}/notes`)).toBe('');
    expect(await httpGet(port, `${app}.test`)).toEqual({ status: 200, body: 'v2\n' });
  });

  it('sends a file changed on the server behind its back again', async () => {
    await onServer(`printf 'garbage' > ${tree()}/start.sh`);
    const third = await deploy();
    expect(third.line).toMatch(/^Build context: 1 of 5 files to send/);
    expect(await onServer(`cat ${tree()}/start.sh`)).toBe(readFileSync(join(folder, 'start.sh'), 'utf8').trim());
  });

  it('deploys after the cache was deleted, sending everything again', async () => {
    await onServer(`rm -rf ${cache()}`);
    const fourth = await deploy();
    expect(fourth.line).toMatch(/^Build context: 5 of 5 files to send/);
    expect(await httpGet(port, `${app}.test`)).toEqual({ status: 200, body: 'v2\n' });
  });
});
