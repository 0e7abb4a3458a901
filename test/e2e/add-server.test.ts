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
});
