import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxServer, screenshotOnFailure, startHarness, type Harness } from './support/harness';
import { addServer } from './support/ui';

let h: Harness;
screenshotOnFailure(() => h);

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('adding a server', () => {
  it('asks for the host key fingerprint, then shows the server’s Docker version', async () => {
    const s1 = sandboxServer('s1');
    const { page } = h;
    await page.getByRole('button', { name: 'Add server' }).first().click();
    await addServer(page, s1, 's1', { screenshot: (name) => h.screenshot(name) });

    const version = page.getByTestId('docker-version');
    await version.waitFor({ timeout: 30_000 });
    expect(await version.innerText()).toMatch(/Docker \d+\.\d+\.\d+/);
    await page.getByTestId('overview').waitFor();
    expect(await page.locator('[data-server="s1"] [data-state]').getAttribute('data-state')).toBe('connected');
    await h.screenshot('server-overview');
  });

  it('adds a second server from the sidebar, trusting its own host key', async () => {
    const { page } = h;
    await page.locator('.sidebar').getByRole('button', { name: '+ Add server' }).click();
    await addServer(page, sandboxServer('s2'), 's2', { screenshot: (name) => h.screenshot(name) });
    await expect.poll(() => page.locator('[data-server="s2"] [data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('connected');
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('overview').innerText()).toContain('manager');
  });

  it('says in words why a key is refused, with the code and the fix', async () => {
    const { page } = h;
    const s1 = sandboxServer('s1');
    await page.locator('.sidebar').getByRole('button', { name: '+ Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Host', { exact: true }).fill(s1.host);
    await dialog.getByLabel('Port', { exact: true }).fill(String(s1.port));
    await dialog.getByLabel('Private key file').fill(s1.wrongKeyPath);
    await dialog.getByText('Advanced: Docker socket and edge proxy').click();
    await dialog.getByLabel('Docker socket on the server').fill(s1.dockerSocket);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const error = dialog.locator('[data-code="AUTH_FAILED"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toContain('AUTH_FAILED');
    await h.screenshot('add-server-auth-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('switches servers with Ctrl+1 and Ctrl+2 and through the switcher', async () => {
    const { page } = h;
    const title = () => page.locator('.page-head h1').innerText();
    await page.keyboard.press('Control+1');
    await expect.poll(title).toBe('s1');
    await page.keyboard.press('Control+2');
    await expect.poll(title).toBe('s2');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('s1');
    await page.keyboard.press('Enter');
    await expect.poll(title).toBe('s1');
    await h.screenshot('two-servers');
  });
});
