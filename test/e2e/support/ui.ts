import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SandboxServer } from '../../support/sandbox';

/** Drives the add-server dialog the way a user does: type, test, compare the fingerprint, trust, add. */
export async function addServer(page: Page, server: SandboxServer, name: string, options: { screenshot?: (name: string) => Promise<string>; proxyPort?: number; proxyImage?: string; proxyBind?: string } = {}): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Add a server' });
  await dialog.getByLabel('Host', { exact: true }).fill(server.host);
  await dialog.getByLabel('Port', { exact: true }).fill(String(server.port));
  await dialog.getByLabel('User', { exact: true }).fill(server.user);
  await dialog.getByLabel('Private key file').fill(server.keyPath);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByText('Advanced: Docker socket and edge proxy').click();
  await dialog.getByLabel('Docker socket on the server').fill(server.dockerSocket);
  if (options.proxyImage) await dialog.getByLabel('Edge proxy image').fill(options.proxyImage);
  if (options.proxyPort) await dialog.getByLabel('Edge proxy HTTP port').fill(String(options.proxyPort));
  if (options.proxyBind) await dialog.getByLabel('Edge proxy binds to').fill(options.proxyBind);
  await dialog.getByRole('button', { name: 'Test connection' }).click();

  const prompt = dialog.getByTestId('host-key-prompt');
  await prompt.waitFor({ timeout: 20_000 });
  expect(await prompt.getByTestId('fingerprint').innerText()).toBe(server.hostKeyFingerprint);
  if (options.screenshot) await options.screenshot(`add-server-fingerprint-${name}`);
  await prompt.getByRole('button', { name: 'Trust this key' }).click();

  const result = dialog.getByTestId('probe-result');
  await result.waitFor({ timeout: 20_000 });
  expect(await result.innerText()).toMatch(/Docker \d+\.\d+/);
  if (options.screenshot) await options.screenshot(`add-server-connected-${name}`);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await dialog.waitFor({ state: 'detached' });
}
