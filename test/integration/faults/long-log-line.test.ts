import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployBed, prepareHome, removeByPrefix, uniquePrefix, type DeployBed } from '../../support/deploy-bed';
import { settle, startBerth } from '../cli/harness';

// An app that prints one 50 MB line without a newline in it, then ordinary lines, followed with `berth logs -f`.
const prefix = uniquePrefix('ll');
const app = `${prefix}-long`;
const MB50 = 50 * 1024 * 1024;
let home: string;
let knownHosts: string;
let bed: DeployBed;

beforeAll(async () => {
  ({ home, knownHosts } = await prepareHome());
  bed = await createDeployBed(home);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-src-`));
  const script = `head -c ${MB50} /dev/zero | tr '\\000' x; echo; i=0; while true; do i=$((i+1)); echo after $i; sleep 0.2; done`;
  writeFileSync(join(dir, 'Dockerfile'), `FROM berth-test/base:latest\nCMD ["sh", "-c", ${JSON.stringify(script)}]\n`);
  await bed.call('apps.create', { serverId: bed.servers.s1, name: app, source: { kind: 'folder', path: dir }, runtime: { httpPort: null, healthCheck: { kind: 'none' } } });
  const queued = await bed.call('deployments.deploy', { serverId: bed.servers.s1, app });
  await bed.waitFor(bed.servers.s1, queued.id, ['live'], 120_000);
}, 180_000);

afterAll(async () => {
  await bed.call('apps.remove', { serverId: bed.servers.s1, name: app }).catch(() => undefined);
  await bed.close();
  await removeByPrefix('s1', prefix);
});

/** Resolves once the child has printed a line matching `pattern`. */
function printed(child: ReturnType<typeof startBerth>, pattern: RegExp): Promise<void> {
  let seen = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('latin1')).slice(-4096);
      if (pattern.test(seen)) resolve();
    });
  });
}

describe('a 50 MB log line', () => {
  it('reaches berth logs -f capped with the cut said, and the lines after it follow', async () => {
    const child = startBerth(home, ['logs', app, '--server', 'sandbox-s1', '-f', '--tail', '100000'], { BERTH_KNOWN_HOSTS: knownHosts });
    const output = settle(child, 120_000);
    await printed(child, /after 3\n/);
    child.kill('SIGINT');
    const result = await output;
    const lines = result.stdout.split('\n');
    const long = lines.filter((l) => l.startsWith('xxxx'));
    expect(long, `${result.stdout.slice(0, 300)} | ${result.stderr}`).toHaveLength(1);
    expect(long[0]).toMatch(/^x{60000,65536} … \[[\d,]+ bytes cut\]$/);
    const kept = (long[0] ?? '').indexOf(' ');
    const cut = Number(/\[([\d,]+) bytes cut\]/.exec(long[0] ?? '')?.[1]?.replace(/,/g, ''));
    expect(kept + cut).toBe(MB50);
    expect(lines.filter((l) => /^after \d+$/.test(l)).slice(0, 3)).toEqual(['after 1', 'after 2', 'after 3']);
  });
});
