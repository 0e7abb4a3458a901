import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_PORTS, removeByPrefix, uniquePrefix, runOnServer, webAppRepoOnServer } from '../support/deploy-bed';
import { loadSandbox, sandboxServer } from '../support/sandbox';
import { screenshotOnFailure, startHarness, type Harness } from './support/harness';

// The auto-deploy controls against the real engine and a real repository on sandbox s1: set a branch to watch,
// pause it from the settings, see the paused state in the app's header and resume it from there.
const prefix = uniquePrefix('uiauto');
const app = `${prefix}-web`;
let h: Harness;
let serverId = '';
let repoDir = '';
screenshotOnFailure(() => h);

const onServer = (command: string): Promise<string> => runOnServer(h.engine, serverId, command);

beforeAll(async () => {
  h = await startHarness();
  const s1 = sandboxServer('s1');
  h.engine.pool.hostKeys.trustFingerprint(s1.hostKeyFingerprint);
  const server = await h.call('servers.add', {
    name: 's1',
    host: s1.host,
    port: s1.port,
    user: s1.user,
    auth: { kind: 'key', keyPath: s1.keyPath },
    dockerSocket: s1.dockerSocket,
    proxy: { httpPort: PROXY_PORTS.s1, image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
  });
  serverId = server.id;
  repoDir = await webAppRepoOnServer(h.engine, serverId, prefix);
  await onServer(
    [
      `cd ${repoDir}`,
      'cd work',
      'git add -A',
      'git -c user.name=Berth -c user.email=berth@example.com commit --quiet -m "First version"',
      'git push --quiet ../repo.git main',
    ].join(' && '),
  );
  await h.call('apps.create', { serverId, name: app, source: { kind: 'git', url: `${repoDir}/repo.git`, ref: 'main' } });
});

afterAll(async () => {
  if (serverId) await h?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  if (repoDir.startsWith('/tmp/')) await onServer(`rm -rf ${repoDir}`).catch(() => undefined);
  await h?.close();
  await removeByPrefix('s1', prefix);
});

describe('auto-deploy from the window', () => {
  it('watches a branch, pauses from the settings and resumes from the header', async () => {
    const { page } = h;
    await page.locator(`[data-server="${serverId}"]`).first().click();
    await page.locator(`[data-app="${app}"]`).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const card = page.getByTestId('auto-deploy');
    await card.getByLabel('Deploy by itself').selectOption('branch');
    await card.getByLabel('Check every (s)').fill('30');
    await card.getByRole('button', { name: 'Save auto-deploy' }).click();
    await card.getByTestId('auto-deploy-status').waitFor();
    expect(await card.getByTestId('auto-deploy-status').innerText()).toContain('watching');
    const line = page.getByTestId('auto-deploy-line');
    expect(await line.innerText()).toMatch(/auto-deploy on\s+main/);
    expect((await h.call('autoDeploy.get', { serverId, app })).settings).toEqual({ watch: { kind: 'branch', branch: 'main' }, intervalSec: 30, from: 'server' });

    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => line.innerText()).toContain('auto-deploy paused');
    expect(await card.getByTestId('auto-deploy-status').innerText()).toContain('paused');
    expect((await h.call('autoDeploy.get', { serverId, app })).paused).toBe(true);
    await card.scrollIntoViewIfNeeded();
    await h.screenshot('auto-deploy-paused');

    await line.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => line.innerText()).toContain('auto-deploy on');
    expect((await h.call('autoDeploy.get', { serverId, app })).paused).toBe(false);
  });
});
