import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOfFolder, writeZip } from '../support/archive-files';
import { httpGet, PROXY_PORTS, removeByPrefix, uniquePrefix, writeKnownHosts } from '../support/deploy-bed';
import { loadSandbox, sandboxServer } from '../support/sandbox';
import { screenshotOnFailure, startHarness, type Harness } from './support/harness';

// A browser has no file path to give: the dropped zip goes over the bridge in chunks, then deploys through sshd.
const prefix = uniquePrefix('drop');
const app = `${prefix}-site`;
const port = PROXY_PORTS.s1;
const dir = mkdtempSync(join(tmpdir(), 'berth-e2e-drop-'));
let h: Harness;
let serverId = '';
screenshotOnFailure(() => h);

/** Drops files on an element as a user dragging them from the desktop would; `hovering` runs before the drop. */
async function dropFiles(page: Page, selector: string, files: Array<{ name: string; bytes: Buffer }>, hovering?: () => Promise<unknown>): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return transfer;
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await hovering?.();
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

function siteZip(version: string): Buffer {
  const entries = entriesOfFolder(loadSandbox().fixtures.webApp, 'site-main/').map((e) =>
    e.name === 'site-main/Dockerfile' ? { ...e, content: String(e.content).replace(/^ARG VERSION=v1$/m, `ARG VERSION=${version}`) } : e,
  );
  return readFileSync(writeZip(join(dir, `${version}.zip`), entries));
}

beforeAll(async () => {
  process.env.BERTH_KNOWN_HOSTS = writeKnownHosts(dir);
  h = await startHarness();
  const s = sandboxServer('s1');
  const server = await h.call('servers.add', {
    name: 's1',
    host: s.host,
    port: s.port,
    user: s.user,
    auth: { kind: 'key', keyPath: s.keyPath },
    dockerSocket: s.dockerSocket,
    proxy: { httpPort: port, image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
  });
  serverId = server.id;
});

afterAll(async () => {
  if (serverId) await h?.call('apps.remove', { serverId, name: app }).catch(() => undefined);
  await h?.close();
  await removeByPrefix('s1', prefix);
  rmSync(dir, { recursive: true, force: true });
});

describe('dropping an archive on the app page', () => {
  it('creates an app whose source is an archive: its deploy dialog asks for one', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 's1', exact: false }).first().click();
    await page.getByRole('button', { name: 'New app' }).first().click();
    const create = page.getByRole('dialog', { name: /^New app/ });
    await create.getByLabel(/^Name/).fill(app);
    await create.getByRole('button', { name: 'Archive', exact: true }).click();
    await create.getByLabel('Folder inside the archive to build from (optional)').fill('site-main');
    await create.getByLabel('Health check path').fill('/health');
    await create.getByLabel('Domain (optional)').fill(`${app}.test`);
    await create.getByRole('button', { name: 'Create and deploy' }).click();
    const dialog = page.getByRole('dialog', { name: /^Deploy / });
    await dialog.getByText('Drop a .zip or .tar.gz here to deploy it').waitFor();
    expect(await dialog.getByRole('button', { name: 'Deploy', exact: true }).isDisabled()).toBe(true);
    await h.screenshot('archive-app-deploy-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: app }).waitFor();
  });

  it('opens the deploy dialog with the archive, sends it, and the release it builds answers through the proxy', async () => {
    const { page } = h;

    const bytes = siteZip('v-dropped');
    await dropFiles(page, '.app-drop', [{ name: 'site-main.zip', bytes }], async () => {
      await page.getByTestId('drop-overlay').waitFor();
      await h.screenshot('archive-drop-hover');
    });
    const dialog = page.getByRole('dialog', { name: /^Deploy / });
    await dialog.waitFor();
    expect(await dialog.getByTestId('archive-name').innerText()).toContain('site-main.zip');
    expect(await dialog.getByLabel('Folder inside the archive to build from').inputValue()).toBe('site-main');
    await h.screenshot('archive-drop-dialog');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    await page.getByRole('tab', { name: /Deployments/ }).click();
    const row = page.locator('tr[data-seq="1"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 90_000, interval: 250 }).toBe('live');
    expect(await httpGet(port, `${app}.test`)).toEqual({ status: 200, body: 'v-dropped\n' });
    const [record] = await h.call('deployments.list', { serverId, app });
    expect(record?.source.archive).toMatchObject({ name: 'site-main.zip', size: bytes.length, format: 'zip', root: 'site-main' });
    await h.screenshot('archive-drop-live');
  });

  it('says what is wrong with a refused archive in the dialog, and nothing is recorded', async () => {
    const { page } = h;
    await dropFiles(page, '.app-drop', [{ name: 'other.zip', bytes: readFileSync(writeZip(join(dir, 'other.zip'), [{ name: 'index.html', content: 'hi' }])) }]);
    const dialog = page.getByRole('dialog', { name: /^Deploy / });
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    await dialog.getByText(/has no folder "site-main"/).waitFor({ timeout: 30_000 });
    await h.screenshot('archive-drop-refused');
    expect(await h.call('deployments.list', { serverId, app })).toHaveLength(1);
  });
});
