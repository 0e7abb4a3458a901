import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotOnFailure, startStubHarness, type StubHarness } from './support/harness';

// The views at the volumes users reach after months (1,000 deployments, a 100k-line build log), against the stub
// engine through the real bridge. The flows against real servers are in add-server, deploy and rollback tests.
let h: StubHarness;
screenshotOnFailure(() => h);

beforeAll(async () => {
  h = await startStubHarness({ deployments: 1000, logLines: 100_000 });
});

afterAll(async () => {
  await h?.close();
});

describe('views at volume', () => {
  it('shows the server overview and warns when disk space runs low', async () => {
    const { page } = h;
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('disk-card').getAttribute('class')).toContain('warn');
    await page.locator('[data-app-row="shop-api"]').waitFor();
    await h.screenshot('stub-server-overview');
  });

  it('lists a thousand deployments with failed and rolled-back ones never shown as live', async () => {
    const { page } = h;
    await page.locator('[data-app="shop-api"]').click();
    await page.locator('tr[data-seq="1000"]').waitFor();
    expect(await page.getByTestId('history').getAttribute('aria-rowcount')).toBe('1001');
    expect(await page.locator('tbody tr[data-seq]').count()).toBeLessThan(100);
    expect(await page.locator('tr[data-status="live"]').count()).toBe(1);
    expect(await page.locator('tr[data-seq="989"] [data-status]').getAttribute('data-status')).toBe('rolled-back');
    expect(await page.locator('tr[data-seq="986"] [data-status]').getAttribute('data-status')).toBe('failed');
    expect(await page.locator('[data-reason-for="986"]').innerText()).toContain('BUILD_FAILED');
    await h.screenshot('app-history');
    await page.locator('.page-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('tr[data-seq="1"]').waitFor();
    await page.locator('.page-body').evaluate((el) => (el.scrollTop = 0));
  });

  it('shows the rollback plan with the env diff, the limits and what is not undone', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Actions for #999' }).click();
    await page.getByRole('menuitem', { name: 'Roll back to this…' }).click();
    const plan = page.getByTestId('rollback-plan');
    await page.locator('[data-testid="rollback-plan"][data-mode="exact"]').waitFor();
    expect(await plan.innerText()).toContain('DATABASE_POOL');
    expect(await page.getByRole('dialog', { name: 'Roll back' }).innerText()).toContain('Not undone by a rollback');
    await h.screenshot('rollback-dialog');
    // the engine answers "today's config" later than "exact": flipping back and forth never leaves the late answer up
    await page.getByRole('radio', { name: /today’s config/ }).check();
    await page.getByRole('radio', { name: /Exact release/ }).check();
    await page.locator('[data-testid="rollback-plan"][data-mode="exact"]').waitFor();
    await page.waitForTimeout(400);
    expect(await plan.getAttribute('data-mode')).toBe('exact');
    await page.getByRole('radio', { name: /today’s config/ }).check();
    await page.locator('[data-testid="rollback-plan"][data-mode="redeploy"]').waitFor();
    expect(await plan.innerText()).toContain('LEGACY_MODE');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Roll back' }).waitFor({ state: 'detached' });
  });

  it('notes a release from its menu and shows the note in its row', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Actions for #998' }).click();
    await page.getByRole('menuitem', { name: 'Add note…' }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Leaks memory under load: do not roll back to it');
    await h.screenshot('release-note-dialog');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.locator('[data-note-for="998"]').waitFor();
    expect(await page.locator('[data-note-for="998"]').innerText()).toContain('Leaks memory under load');
    await h.screenshot('release-note-row');
  });

  it('scrolls a 100k-line build log, searches it and follows again with End', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Actions for #1000' }).click();
    await page.getByRole('menuitem', { name: 'View logs' }).click();
    const count = page.getByTestId('line-count');
    await expect.poll(() => count.innerText(), { timeout: 30_000 }).toBe('100,000 lines');
    await page.locator('.log-row[data-line="99999"]').waitFor();
    expect(await page.locator('.log-row').count()).toBeLessThan(200);

    await page.getByLabel('Search the log').fill('request 4242 ');
    await expect.poll(() => page.getByTestId('match-count').innerText()).toBe('1 / 1');
    await page.locator('.log-row.current mark').waitFor();
    await page.getByLabel('Search the log').fill('Step 5');
    await expect.poll(() => page.getByTestId('match-count').innerText()).toMatch(/ \/ 11$/);
    await h.screenshot('log-viewer-100k');

    await page.getByTestId('log-scroll').focus();
    await page.keyboard.press('End');
    await page.locator('.log-row[data-line="99999"]').waitFor();
    await expect.poll(() => page.getByText('● following').isVisible()).toBe(true);
  });

  it('shows a reconnecting banner while the engine is away and resumes the log without duplicates', async () => {
    const { page } = h;
    const restarted = h.restartBridge(1500);
    await page.getByText('Reconnecting to the Berth engine…').waitFor();
    await page.getByText('reconnecting… lines resume where they stopped').waitFor();
    await h.screenshot('log-viewer-reconnecting');
    await restarted;
    await page.getByText('Reconnecting to the Berth engine…').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByText('reconnecting… lines resume where they stopped').waitFor({ state: 'detached' });
    expect(await page.getByTestId('line-count').innerText()).toBe('100,000 lines');
  });

  it('lists previews under their app in the sidebar and on its Previews tab', async () => {
    const { page } = h;
    const nested = page.getByRole('list', { name: 'Previews of shop-api' });
    const branches = await nested.locator('[data-preview-of="shop-api"] .name').allInnerTexts();
    expect(branches).toEqual(['feature/login', 'refs/pull/12/head']);
    await nested.locator('[data-app="shop-api-feature-login"]').click();
    expect(await page.getByTestId('preview-line').innerText()).toContain('feature-login.shop.example.com');
    expect(await page.getByRole('tab').allInnerTexts()).not.toContain('Previews');
    await h.screenshot('preview-app');
    await page.getByTestId('preview-line').getByRole('button', { name: 'shop-api' }).click();
    await page.locator('[data-preview-row="refs/pull/12/head"]').waitFor();
    expect(await page.locator('[data-preview-row]').count()).toBe(2);
    expect(await page.locator('[data-preview-row="feature/login"]').innerText()).toContain('feature-login.shop.example.com');
    await h.screenshot('app-previews');
  });

  it('switches servers from the keyboard', async () => {
    const { page } = h;
    await page.keyboard.press('Control+2');
    await expect.poll(() => page.locator('h1').first().innerText()).toBe('staging');
    await page.keyboard.press('Control+k');
    await page.getByPlaceholder('Go to a server or an app…').fill('work');
    await h.screenshot('quick-switcher');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').first().innerText()).toBe('worker');
    expect(await page.locator('.crumbs .crumb').innerText()).toBe('prod-eu');
  });

  it('shows the app settings with secrets masked', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Settings' }).click();
    const env = page.locator('.env-table');
    await env.waitFor();
    expect(await env.innerText()).toContain('LEGACY_MODE');
    expect(await env.innerText()).toContain('•••••• secret');
    await h.screenshot('app-settings');
    const rollback = page.getByRole('region', { name: 'Rollback' });
    await rollback.getByLabel('Registry (optional)').waitFor();
    expect(await rollback.getByLabel('Registry (optional)').inputValue()).toBe('registry.example.com/acme');
    await rollback.scrollIntoViewIfNeeded();
    await h.screenshot('app-settings-rollback');
  });

  it("shows an image source's pull policy in its settings", async () => {
    const { page } = h;
    await page.locator('[data-app="docs"]').click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const pull = page.getByLabel('Pull');
    await pull.waitFor();
    expect(await pull.inputValue()).toBe('always');
    expect(await page.getByLabel('Image', { exact: true }).inputValue()).toBe('ghcr.io/acme/docs:latest');
    await h.screenshot('app-settings-image-pull');
    await page.locator('[data-app="worker"]').click();
  });

  it('draws the app page in the dark theme too', async () => {
    const { page } = h;
    await page.getByRole('button', { name: /^Theme:/ }).click();
    await page.getByRole('button', { name: /^Theme:/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('tab', { name: /Deployments/ }).click();
    await h.screenshot('app-history-dark');
  });
});
