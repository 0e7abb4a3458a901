import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../electron/web/bridge-server';
import { ensureRendererBuilt, launchChromium, rendererDir, saveScreenshot, screenshotOnFailure, sandboxServer } from './support/harness';
import { createStubEngine } from './support/stub-engine';

// The page the browser bridge serves, opened the ways a user gets it wrong: an address from an earlier run, one
// without its token, and the bridge restarted under an open tab. Each says what happened and what to open instead,
// never a lost connection. And the right address through `ssh -L`, which must simply work.
const engine = createStubEngine({ deployments: 20 });
let bridge: Bridge;
let context: BrowserContext;
let userDataDir: string;
let page: Page;
screenshotOnFailure(() => (page ? { page } : undefined));

beforeAll(async () => {
  ensureRendererBuilt();
  bridge = await startBridge({ engine, rendererDir });
  ({ context, userDataDir } = await launchChromium());
});

afterEach(async () => {
  await page?.close();
});

afterAll(async () => {
  await context?.close();
  await bridge?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function open(url: string): Promise<Page> {
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[renderer]', error.message));
  await page.goto(url);
  return page;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('a page the bridge refuses', () => {
  it('explains an address from an earlier run instead of showing a lost connection', async () => {
    await open(`http://127.0.0.1:${bridge.port}/?token=from-an-earlier-run`);
    const view = page.getByTestId('access-refused');
    await view.waitFor();
    expect(await view.getAttribute('data-reason')).toBe('wrong-token');
    const text = await view.innerText();
    expect(text).toContain('This address is from an earlier run of Berth: open the address printed by npm run web.');
    expect(text).toContain('FORBIDDEN');
    expect(await page.locator('body').innerText()).not.toContain('SSH_DISCONNECTED');
    expect(await page.getByText('Reconnecting to the Berth engine').count()).toBe(0);
    await saveScreenshot(page, 'bridge-access-stale-token');
  });

  it('asks for the full address when the token is missing', async () => {
    await open(`http://127.0.0.1:${bridge.port}/`);
    const view = page.getByTestId('access-refused');
    await view.waitFor();
    expect(await view.getAttribute('data-reason')).toBe('no-token');
    expect(await view.innerText()).toContain('it ends in ?token=');
  });

  it('tells an open tab when the bridge restarted with a new token', async () => {
    await open(bridge.url);
    await page.getByTestId('overview').waitFor();
    const { port } = bridge;
    await bridge.close();
    bridge = await startBridge({ engine, rendererDir, port });
    const view = page.getByTestId('access-refused');
    await view.waitFor({ timeout: 20_000 });
    expect(await view.getAttribute('data-reason')).toBe('wrong-token');
    await saveScreenshot(page, 'bridge-access-restarted');
  });
});

describe('a page reached through ssh -L', () => {
  let tunnel: ChildProcess | undefined;
  let dir: string;

  afterAll(async () => {
    if (tunnel && tunnel.exitCode === null) {
      const exited = new Promise((resolve) => tunnel!.once('exit', resolve));
      tunnel.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('works on the forwarded localhost port with the printed token', async () => {
    const server = sandboxServer('s1');
    dir = mkdtempSync(join(tmpdir(), 'berth-ssh-l-'));
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[${server.host}]:${server.port} ${readFileSync(server.hostPublicKeyPath, 'utf8')}`);
    const local = await freePort();
    tunnel = spawn('ssh', [
      '-N', '-i', server.keyPath, '-p', String(server.port),
      '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes',
      '-L', `${local}:127.0.0.1:${bridge.port}`, `${server.user}@${server.host}`,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    await expect.poll(() => fetch(`http://localhost:${local}/access`).then((r) => r.ok, () => false), { timeout: 20_000 }).toBe(true);

    await open(`http://localhost:${local}/?token=${bridge.token}`);
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('access-refused').count()).toBe(0);
    await page.locator('[data-app-row="shop-api"]').waitFor();
  });
});
