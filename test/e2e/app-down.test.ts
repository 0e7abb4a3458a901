import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, PROXY_PORTS, removeByPrefix, uniquePrefix, writeKnownHosts } from '../support/deploy-bed';
import { loadSandbox, sandboxServer } from '../support/sandbox';
import { screenshotOnFailure, startHarness, type Harness } from './support/harness';

// The app-down watch as the window shows it, on a real server (sandbox s1 through sshd): a container killed by hand
// marks its app down in the sidebar with the reason, and the mark goes once the container runs again.
const prefix = uniquePrefix('e2edown');
const app = `${prefix}-web`;
let h: Harness;
let serverId: string;
let container: string;
screenshotOnFailure(() => h);

beforeAll(async () => {
  const s1 = sandboxServer('s1');
  process.env.BERTH_KNOWN_HOSTS = writeKnownHosts(mkdtempSync(join(tmpdir(), 'berth-e2e-hosts-')));
  h = await startHarness({}, { uptime: { intervalMs: 1000, track: { looks: 2, confirmMs: 1500 } } });
  serverId = (
    await h.call('servers.add', {
      name: 's1',
      host: s1.host,
      port: s1.port,
      user: s1.user,
      auth: { kind: 'key', keyPath: s1.keyPath },
      dockerSocket: s1.dockerSocket,
      proxy: { httpPort: PROXY_PORTS.s1, image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
    })
  ).id;
  await h.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'image', image: `${loadSandbox().images.web}:1`, pull: 'never' },
    runtime: { domains: [`${app}.test`], healthCheck: { kind: 'http', path: '/health', intervalMs: 300, timeoutMs: 2000, retries: 20, startPeriodMs: 0 } },
  });
  await h.call('rollback.updateSettings', { serverId, app, patch: { watchMs: 0 } });
  const queued = await h.call('deployments.deploy', { serverId, app });
  const deadline = Date.now() + 60_000;
  let live = await h.call('deployments.get', { serverId, deploymentId: queued.id });
  while (live.status !== 'live' && live.status !== 'failed' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    live = await h.call('deployments.get', { serverId, deploymentId: queued.id });
  }
  if (live.status !== 'live') throw new Error(`the deployment is ${live.status}: ${live.error?.message ?? ''}`);
  container = live.containers[0] ?? '';
  await h.page.reload();
  await h.page.locator(`[data-server="${serverId}"]`).click();
  await h.page.locator(`[data-app="${app}"]`).click();
}, 120_000);

afterAll(async () => {
  await h?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await h?.close();
  await removeByPrefix('s1', prefix);
});

describe('an app that goes down', () => {
  it('is marked down in the sidebar with the reason, and the server with it', async () => {
    await docker('s1', ['kill', container]);
    const mark = h.page.locator(`[data-app="${app}"] [data-testid="app-down-mark"]`);
    await mark.waitFor({ timeout: 20_000 });
    expect(await mark.getAttribute('aria-label')).toBe(`${app} is down: exited with code 137`);
    expect(await h.page.locator(`[data-app="${app}"] .down-reason`).innerText()).toBe('exited with code 137');
    expect(await h.page.locator(`[data-server="${serverId}"] [data-testid="server-health-mark"]`).getAttribute('aria-label')).toBe(`${app} down: exited with code 137`);
    await h.page.getByText(`${app} is down on s1`).first().waitFor();
    await h.screenshot('app-down-sidebar');
  });

  it('loses the mark once the container runs again', async () => {
    await docker('s1', ['start', container]);
    await h.page.locator(`[data-app="${app}"] [data-testid="app-down-mark"]`).waitFor({ state: 'detached', timeout: 20_000 });
    await h.page.getByText(`${app} is back up on s1`).first().waitFor();
  });
});
