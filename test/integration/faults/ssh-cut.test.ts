import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, httpGet, prepareHome, PROXY_PORTS, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { loadSandbox, restartSshd } from '../../support/sandbox';
import { settle, startBerth } from '../cli/harness';

// The SSH link of s1 cut (sshd and every session it serves killed, then started again) while the CLI works.
const prefix = uniquePrefix('sc');
const web = `${prefix}-web`;
const ticker = `${prefix}-tick`;
const host = `${web}.test`;
let home: string;
let knownHosts: string;
let bed: DeployBed;

function folder(dockerfile: string): { kind: 'folder'; path: string } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-src-`));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return { kind: 'folder', path: dir };
}

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  const serverId = bed.servers.s1;
  await bed.call('apps.create', {
    serverId,
    name: web,
    source: { kind: 'folder', path: loadSandbox().fixtures.webApp },
    build: { args: { VERSION: 'v1' } },
    runtime: { domains: [host], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 50, startPeriodMs: 0 } },
  });
  await bed.call('apps.create', {
    serverId,
    name: ticker,
    source: folder('FROM berth-test/base:latest\nCMD ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.1; done"]\n'),
    runtime: { httpPort: null, healthCheck: { kind: 'none' } },
  });
  for (const app of [web, ticker]) {
    const queued = await bed.call('deployments.deploy', { serverId, app });
    await bed.waitFor(serverId, queued.id, ['live'], 120_000);
  }
}, 240_000);

afterAll(async () => {
  await restartSshd('s1', { mode: 'start' });
  for (const app of [web, ticker]) await bed.call('apps.remove', { serverId: bed.servers.s1, name: app }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
});

describe('the SSH link cut', () => {
  it('during a build fails the deployment as a connection error (exit 4), v1 untouched', async () => {
    await bed.call('apps.update', { serverId: bed.servers.s1, name: web, patch: { source: folder('FROM berth-test/base:latest\nRUN sleep 20\n') } });
    const child = startBerth(home, ['deploy', web, '--server', 'sandbox-s1', '--no-watch', '--json'], { BERTH_KNOWN_HOSTS: knownHosts });
    const done = settle(child, 120_000);
    for (;;) {
      const [d] = await bed.call('deployments.list', { serverId: bed.servers.s1, app: web, limit: 1 });
      if (d?.status === 'building') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));
    await restartSshd('s1', { downMs: 3000 });
    const result = await done;
    expect(result.code).toBe(4);
    const record = JSON.parse(result.stdout) as { status: string; error: { code: string; message: string } };
    expect(record.status).toBe('failed');
    expect(record.error.code).toBe('SSH_DISCONNECTED');
    expect(record.error.message).toMatch(/dropped while this deployment was building/);
    expect(await httpGet(PROXY_PORTS.s1, host)).toEqual({ status: 200, body: 'v1\n' });
  });

  it('during berth logs -f resumes after the reconnect with no line lost or repeated', async () => {
    const child = startBerth(home, ['logs', ticker, '--server', 'sandbox-s1', '-f', '--tail', '5'], { BERTH_KNOWN_HOSTS: knownHosts });
    const output = settle(child, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    await restartSshd('s1', { downMs: 2000 });
    await new Promise((r) => setTimeout(r, 6000));
    child.kill('SIGINT');
    const result = await output;
    const ticks = [...result.stdout.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
    expect(ticks.length, result.stderr).toBeGreaterThan(50);
    const gaps = ticks.slice(1).filter((n, i) => n !== (ticks[i] ?? 0) + 1);
    expect(gaps, `after ${ticks.length} ticks: ${result.stderr}`).toEqual([]);
  });
});
