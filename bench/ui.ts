/**
 * `npx tsx bench/ui.ts`: how fast the renderer draws what months of use produce, in one headless Chromium run.
 * The renderer talks to a made-up engine (test/e2e/support/stub-engine.ts) through the real browser bridge, so
 * every figure includes the WebSocket and the contract's schema checks but no server. Prints name=value lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startBridge } from '../electron/web/bridge-server';
import { ensureRendererBuilt, launchChromium, rendererDir } from '../test/e2e/support/harness';
import { createStubEngine } from '../test/e2e/support/stub-engine';

const HISTORY_ROWS = 1000;
const LOG_LINES = 1_000_000;

function print(name: string, value: number | string): void {
  process.stdout.write(`${name}=${typeof value === 'number' ? Math.round(value * 10) / 10 : value}\n`);
}

/** Clicks `click` inside the page and waits for `until` to exist and the next frame to paint; in-page clock. */
function timeClick(page: Page, click: string, until: string, timeoutMs = 120_000): Promise<number> {
  return page.evaluate(
    async ({ click, until, timeoutMs }) => {
      const target = document.querySelector<HTMLElement>(click);
      if (!target) throw new Error(`nothing matches ${click}`);
      const t0 = performance.now();
      target.click();
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (document.querySelector(until)) resolve();
          else if (performance.now() - t0 > timeoutMs) reject(new Error(`${until} did not appear`));
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      return performance.now() - t0;
    },
    { click, until, timeoutMs },
  );
}

function bundleSize(): { raw: number; gzip: number } {
  const assets = join(rendererDir, 'assets');
  let raw = 0;
  let gzip = 0;
  for (const file of readdirSync(assets)) {
    if (!/\.(js|css)$/.test(file)) continue;
    const bytes = readFileSync(join(assets, file));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip };
}

async function main(): Promise<void> {
  ensureRendererBuilt();
  const size = bundleSize();
  const bridge = await startBridge({ engine: createStubEngine({ deployments: HISTORY_ROWS, logLines: LOG_LINES }), rendererDir });
  const { context } = await launchChromium({ viewport: { width: 1440, height: 900 } });
  try {
    // tsx keeps function names with a __name helper that the page does not have; the measuring code runs in-page.
    await context.addInitScript({ content: 'window.__name = (fn) => fn;' });
    const page = context.pages()[0] ?? (await context.newPage());
    const t0 = Date.now();
    await page.goto(bridge.url);
    await page.getByTestId('overview').waitFor();
    await page.locator('[data-app-row="shop-api"]').waitFor();
    print('baseline_server_page_ms', Date.now() - t0);

    print('app_page_render_ms', await timeClick(page, '[data-app="shop-api"]', `tr[data-seq="${HISTORY_ROWS}"]`));
    print('app_page_rows', Number(await page.getByTestId('history').getAttribute('aria-rowcount')) - 1);

    await page.getByRole('button', { name: 'Actions for #1000' }).click();
    await page.getByRole('menuitem', { name: 'View logs' }).waitFor();
    print('log_load_1m_ms', await timeClick(page, '[role="menuitem"]:nth-child(3)', `.log-row[data-line="${LOG_LINES - 1}"]`));

    await page.getByRole('tab', { name: /Deployments/ }).click();
    await page.locator(`tr[data-seq="${HISTORY_ROWS}"]`).waitFor();
    print('log_viewer_render_ms', await timeClick(page, '#tab-logs', `.log-row[data-line="${LOG_LINES - 1}"]`));
    print('log_viewer_lines', Number((await page.getByTestId('line-count').innerText()).replace(/\D/g, '')));

    const frames = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('[data-testid="log-scroll"]')!;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        el.scrollTop = Math.random() * (el.scrollHeight - el.clientHeight);
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]! };
    });
    print('log_scroll_frame_median_ms', frames.median);
    print('log_scroll_frame_p95_ms', frames.p95);

    const search = await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('input[aria-label="Search the log"]')!;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const t0 = performance.now();
      setter.call(input, 'request 777777 ');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise<void>((resolve) => {
        const check = () => (document.querySelector('[data-testid="match-count"]')?.textContent === '1 / 1' ? resolve() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - t0;
    });
    print('log_search_1m_ms', search);

    const heap = await page.evaluate(() => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    if (heap) print('renderer_heap_mb', heap / 1024 / 1024);
  } finally {
    await context.close();
    await bridge.close();
  }
  print('renderer_bundle_kb', size.raw / 1024);
  print('renderer_bundle_gzip_kb', size.gzip / 1024);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
