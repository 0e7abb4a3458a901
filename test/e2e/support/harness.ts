import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import type { Input, Method, Output } from '../../../shared/api';
import { BerthError } from '../../../shared/errors';
import { createEngine, type Engine, type EngineOptions } from '../../../electron/core/engine';
import { startBridge, type Bridge } from '../../../electron/web/bridge-server';
import { createStubEngine, type StubOptions } from './stub-engine';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const rendererDir = join(root, 'dist', 'renderer');
export const screenshotDir = join(root, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds the renderer once when dist/renderer is missing or older than its sources (`npm run test:e2e` builds first). */
export function ensureRendererBuilt(): void {
  const index = join(rendererDir, 'index.html');
  const sources = Math.max(newest(join(root, 'renderer')), newest(join(root, 'shared')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export async function launchChromium(options: LaunchOptions = {}): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'berth-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  return { context, userDataDir };
}

export interface Harness {
  engine: Engine;
  /** A call straight to the engine, for setup and cleanup the window has no part in. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  bridge: Bridge;
  context: BrowserContext;
  page: Page;
  home: string;
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

/** The real engine (fresh home) behind the browser bridge, and a Chromium page opened on it. */
export async function startHarness(options: LaunchOptions = {}, engineOptions: Omit<EngineOptions, 'home'> = {}): Promise<Harness> {
  ensureRendererBuilt();
  const home = mkdtempSync(join(tmpdir(), 'berth-e2e-home-'));
  const engine = createEngine({ ...engineOptions, home });
  const bridge = await startBridge({ engine, rendererDir });
  const { context, userDataDir } = await launchChromium(options);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('[renderer]', error.message));
  await page.goto(bridge.url);
  return {
    engine,
    async call(method, input) {
      const outcome = await engine.dispatcher.call(method, input, { clientId: 'e2e', signal: new AbortController().signal, emit: () => undefined });
      if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
      return outcome.value as never;
    },
    bridge,
    context,
    page,
    home,
    screenshot: (name, target = page) => saveScreenshot(target, name),
    async close() {
      await context.close();
      await bridge.close();
      await engine.close();
      rmSync(userDataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The renderer against the made-up engine of stub-engine.ts, for views that need large volumes. */
export interface StubHarness extends Omit<Harness, 'engine' | 'home' | 'call'> {
  /** Stops the bridge (the window sees the engine go away) and starts it again on the same port and token. */
  restartBridge(downMs: number): Promise<void>;
}

export async function startStubHarness(stub: StubOptions = {}, options: LaunchOptions = {}): Promise<StubHarness> {
  ensureRendererBuilt();
  const engine = createStubEngine(stub);
  let bridge = await startBridge({ engine, rendererDir });
  const { context, userDataDir } = await launchChromium(options);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error('[renderer]', error.message));
  await page.goto(bridge.url);
  return {
    get bridge() {
      return bridge;
    },
    context,
    page,
    screenshot: (name, target = page) => saveScreenshot(target, name),
    async restartBridge(downMs) {
      const { port, token } = bridge;
      await bridge.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      bridge = await startBridge({ engine, rendererDir, port, token });
    },
    async close() {
      await context.close();
      await bridge.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export { loadSandbox as sandbox, sandboxServer, type SandboxServer } from '../../support/sandbox';

/** Keeps a picture of the window when a test fails, under test-results/failures/. */
export function screenshotOnFailure(get: () => { page: Page } | undefined): void {
  afterEach(async (ctx) => {
    const h = get();
    if (!h || ctx.task.result?.state !== 'fail') return;
    const dir = join(root, 'test-results', 'failures');
    mkdirSync(dir, { recursive: true });
    await h.page.screenshot({ path: join(dir, `${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`) }).catch(() => undefined);
  });
}
