import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildPlan, CacheCleared } from '../../../shared/api/builds';
import { removeByPrefix, uniquePrefix } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { berth, newHome, parseJson, serverAddArgs } from '../cli/harness';

const sandbox = loadSandbox();
const s1 = sandbox.servers.find((s) => s.name === 's1')!;
const prefix = uniquePrefix('bcli');
const app = `${prefix}-node`;
let home: string;

beforeAll(async () => {
  home = newHome('builds');
  const added = await berth(home, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint]);
  expect(added.code, added.stderr).toBe(0);
  const created = await berth(home, [
    'app', 'add', app, '--server', 's1', '--folder', resolve(__dirname, '../../fixtures/stacks/node-npm'),
    '--build-mode', 'auto', '--base-image', `node=${sandbox.images.node}`,
  ]);
  expect(created.code, created.stderr).toBe(0);
});

afterAll(async () => {
  await berth(home, ['app', 'remove', app, '--yes']).catch(() => undefined);
  await removeByPrefix('s1', prefix);
  rmSync(home, { recursive: true, force: true });
});

describe('berth plan and berth app clear-cache', () => {
  it('prints the detected stack, what it was told by, and the Dockerfile it would write', async () => {
    const run = await berth(home, ['plan', app]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Builds with a Dockerfile generated for the stack found (node): .berth.Dockerfile');
    expect(run.stdout).toContain('  found: package-lock.json: npm');
    expect(run.stdout).toContain(`FROM ${sandbox.images.node}\n`);
  });

  it('keeps an edited plan in the app, and forgets it again', async () => {
    const edited = join(home, 'Dockerfile.plan');
    writeFileSync(edited, `FROM ${sandbox.images.node}\nCOPY . /app\nCMD ["node", "/app/src/server.js"]\n`);
    const saved = await berth(home, ['plan', app, '--save', edited, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(BuildPlan.parse(parseJson(saved.stdout))).toMatchObject({ origin: 'kept', dockerfile: expect.stringContaining('CMD ["node", "/app/src/server.js"]') as unknown });
    const dropped = await berth(home, ['plan', app, '--drop-saved', '--json']);
    expect(BuildPlan.parse(parseJson(dropped.stdout))).toMatchObject({ origin: 'source', dockerfile: null, dockerfilePath: 'Dockerfile' });
  });

  it('clears the cache of an app and says what it freed', async () => {
    const run = await berth(home, ['app', 'clear-cache', app, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const cleared = CacheCleared.parse(parseJson(run.stdout));
    expect(cleared).toMatchObject({ records: 0, images: 0 });
    expect(cleared.message).toMatch(new RegExp(`^Cleared the build cache of ${app}: 0 cache records and 0 dangling images, \\d+ B freed\\.$`));
  });
});
