import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_PORTS, removeByPrefix, uniquePrefix } from '../support/deploy-bed';
import { loadSandbox, sandboxServer } from '../support/sandbox';
import { screenshotOnFailure, startHarness, type Harness } from './support/harness';
import { addServer } from './support/ui';

// A zero-config app on a real server (sandbox s1 through sshd): its plan shown before the first build, edited and
// kept in the app, the release built from it showing the Dockerfile it ran, and the app's build cache cleared.
const prefix = uniquePrefix('uib');
const app = `${prefix}-node`;
let h: Harness;
let serverId = '';
screenshotOnFailure(() => h);

beforeAll(async () => {
  h = await startHarness();
  const { page } = h;
  await page.getByRole('button', { name: 'Add server' }).first().click();
  await addServer(page, sandboxServer('s1'), 's1', { proxyPort: PROXY_PORTS.s1, proxyImage: loadSandbox().images.haproxy, proxyBind: '127.0.0.1' });
  serverId = (await h.call('servers.list', {})).find((s) => s.name === 's1')!.id;
  await h.call('apps.create', {
    serverId,
    name: app,
    source: { kind: 'folder', path: resolve(__dirname, '../fixtures/stacks/node-plain') },
    build: { mode: 'auto', baseImages: { node: loadSandbox().images.node } },
    runtime: { domains: [`${app}.test`], healthCheck: { kind: 'http', path: '/health', intervalMs: 300 } },
  });
});

afterAll(async () => {
  if (serverId) await h?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await h?.close();
  await removeByPrefix('s1', prefix);
});

describe('build plans and the build cache in the window', () => {
  it('shows the zero-config plan in the settings before anything is built', async () => {
    const { page } = h;
    await page.locator(`[data-app="${app}"]`).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const plan = page.locator('[data-testid="build-plan"][data-origin="generated"]');
    await plan.waitFor({ timeout: 20_000 });
    expect(await plan.innerText()).toContain('A Dockerfile written for the stack found');
    expect(await plan.getByLabel('Dockerfile').inputValue()).toContain(`FROM ${loadSandbox().images.node}`);
    await plan.scrollIntoViewIfNeeded();
    await h.screenshot('build-plan-generated');
  });

  it('keeps an edited plan in the app, and the release built from it shows that Dockerfile', async () => {
    const { page } = h;
    const editor = page.locator('[data-testid="build-plan"]').getByLabel('Dockerfile');
    const edited = (await editor.inputValue()).replace('ENV NODE_ENV=production', 'ENV APP_VERSION=from-the-window NODE_ENV=production');
    await editor.fill(edited);
    await page.getByRole('button', { name: 'Keep this Dockerfile in the app' }).click();
    await page.locator('[data-testid="build-plan"][data-origin="kept"]').waitFor({ timeout: 20_000 });
    // keeping changed the app's build mode under the open form: the form must not offer to save the old mode back
    expect(await page.locator('.settings-bar').getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await h.screenshot('build-plan-kept');

    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Deploy / });
    expect(await dialog.getByTestId('plan-line').innerText()).toContain('Builds with the Dockerfile kept in the app.');
    await h.screenshot('deploy-dialog-plan');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: /^Deployments/ }).click();
    await expect.poll(async () => page.locator('tr[data-seq="1"]').getAttribute('data-status'), { timeout: 90_000, interval: 250 }).toBe('live');
    const [release] = await h.call('deployments.list', { serverId, app });
    expect(release?.buildPlan?.dockerfile).toBe(edited);
    await page.getByRole('button', { name: 'Actions for #1' }).click();
    await page.getByRole('menuitem', { name: 'View Dockerfile' }).click();
    expect(await page.getByTestId('release-dockerfile').innerText()).toContain('APP_VERSION=from-the-window');
    await h.screenshot('release-dockerfile');
    await page.keyboard.press('Escape');
  });

  it('clears the build cache from the settings and says what it freed', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Clear build cache' }).click();
    const cleared = page.getByTestId('cache-cleared');
    await cleared.waitFor({ timeout: 20_000 });
    expect(await cleared.innerText()).toMatch(new RegExp(`^Cleared the build cache of ${app}: \\d+ cache records? and \\d+ dangling images?, [\\d.]+ [KMG]?B freed\\.`));
    await cleared.scrollIntoViewIfNeeded();
    await h.screenshot('build-cache-cleared');
  });
});
