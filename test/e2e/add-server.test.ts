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
