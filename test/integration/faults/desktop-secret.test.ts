import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopEngine } from '../../../electron/main/desktop-engine';
import type { SafeStorageLike } from '../../../electron/main/adapters/safe-storage-secrets';
import { HomeStore } from '../../../electron/core/store/home-store';
import type { Engine } from '../../../electron/core/engine';
import { PROXY_PORTS } from '../../support/deploy-bed';
import { loadSandbox } from '../../support/sandbox';
import { storeBytes } from '../../support/store-bytes';
import { berth, newHome } from '../cli/harness';

const PASSPHRASE = 'correct horse battery';

/** Stands in for the OS keychain: sealing only this test process can undo. */
const keychain = {
  encrypt: (plain: string): Buffer => Buffer.from(`keychain:${Buffer.from(plain).toString('hex')}`),
  async decryptStringAsync(encrypted: Buffer) {
    return { result: Buffer.from(encrypted.toString().replace('keychain:', ''), 'hex').toString() };
  },
} satisfies SafeStorageLike & { encrypt(plain: string): Buffer };

const ctx = { clientId: 'desktop', signal: new AbortController().signal, emit: () => undefined };
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A home whose only server is s1, reached with a copy of its key protected by a passphrase, added in the desktop app. */
async function desktopHome(tag: string): Promise<{ home: string; serverId: string }> {
  const s1 = loadSandbox().servers.find((s) => s.name === 's1');
  if (!s1) throw new Error('no sandbox server s1');
  const home = newHome(tag);
  const key = join(home, 'id_protected');
  copyFileSync(s1.keyPath, key);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', key]);
  engine = createDesktopEngine(home, keychain).engine;
  const added = await engine.dispatcher.call('servers.add', {
    name: 'box', host: s1.host, port: s1.port, user: s1.user, auth: { kind: 'key', keyPath: key }, dockerSocket: s1.dockerSocket,
    // the proxy settings every suite shares, so this entry agrees with the proxy running on s1
    proxy: { httpPort: PROXY_PORTS.s1, image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
  }, ctx);
  if (!added.ok) throw new Error(added.error.message);
  const serverId = (added.value as { id: string }).id;
  const set = await engine.dispatcher.call('servers.setPassphrase', { serverId, passphrase: PASSPHRASE }, ctx);
  if (!set.ok) throw new Error(set.error.message);
  return { home, serverId };
}

function showServer(home: string) {
  const s1 = loadSandbox().servers.find((s) => s.name === 's1');
  return berth(home, ['server', 'show', 'box', '--json', '--accept-host-key', s1?.hostKeyFingerprint ?? '']);
}

describe('a secret set in the desktop app', () => {
  it('is opened by the CLI on the same account', async () => {
    const { home } = await desktopHome('desktop-new');
    await engine?.close();
    engine = undefined;
    expect(storeBytes(home)).not.toContain(PASSPHRASE);
    const shown = await showServer(home);
    expect(shown.stderr).not.toMatch(/error/);
    expect(JSON.parse(shown.stdout)).toMatchObject({ docker: expect.any(Object) });
  });

  it('sealed with the OS keychain by an older desktop app is moved to the key file when the desktop app starts', async () => {
    const { home, serverId } = await desktopHome('desktop-old');
    HomeStore.open(home).document<unknown>('server-secrets', () => null).write({ version: 1, passphrases: { [serverId]: `ss1:${keychain.encrypt(PASSPHRASE).toString('base64')}` } });
    await engine?.close();
    engine = undefined;
    const before = await showServer(home);
    expect(before.code).not.toBe(0);
    expect(before.stdout + before.stderr).toContain('Start the desktop app once');

    const started = createDesktopEngine(home, keychain);
    engine = started.engine;
    expect(await started.keychainMigrated).toBe(1);
    await engine.close();
    engine = undefined;
    const after = await showServer(home);
    expect(after.stderr).not.toMatch(/error/);
    expect(JSON.parse(after.stdout)).toMatchObject({ docker: expect.any(Object) });
  });
});
