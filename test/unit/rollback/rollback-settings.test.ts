import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RollbackSettingsPatch } from '../../../shared/api/rollback';
import { berthPaths } from '../../../electron/core/home';
import { RollbackSettingsStore } from '../../../electron/core/rollback/rollback-settings';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';
import { storeBytes } from '../../support/store-bytes';

function store() {
  const home = mkdtempSync(join(tmpdir(), 'berth-rb-settings-'));
  const paths = berthPaths(home);
  return { settings: new RollbackSettingsStore(paths, new KeyFileSecrets(paths.secretKey)), home };
}

const patch = (input: unknown) => RollbackSettingsPatch.parse(input);

describe('per-app rollback settings', () => {
  it('default to 5 rollback points, a 60 s watch and automatic rollback, without a registry', () => {
    expect(store().settings.view('s1', 'web')).toEqual({ keepLast: 5, watchMs: 60_000, watchFailures: 3, autoRollback: true, cacheOnLaptop: false, registry: null });
  });

  it('keep both changes when two processes change one app at once, one of them sealing a password', async () => {
    const { home } = store();
    const paths = berthPaths(home);
    const desktop = new RollbackSettingsStore(paths, new KeyFileSecrets(paths.secretKey));
    const cli = new RollbackSettingsStore(paths, new KeyFileSecrets(paths.secretKey));
    await Promise.all([
      desktop.update('s1', 'web', patch({ registry: { url: 'registry.example.com/acme', username: 'deploy', password: 'pa55' } })),
      cli.update('s1', 'web', patch({ keepLast: 9 })),
    ]);
    expect(cli.view('s1', 'web')).toMatchObject({ keepLast: 9, registry: { url: 'registry.example.com/acme', username: 'deploy', passwordSet: true } });
  });

  it('change only what a patch names', async () => {
    const { settings } = store();
    await settings.update('s1', 'web', patch({ keepLast: 2 }));
    expect(await settings.update('s1', 'web', patch({ watchMs: 0 }))).toMatchObject({ keepLast: 2, watchMs: 0, autoRollback: true });
    expect(settings.view('s1', 'api').keepLast).toBe(5);
  });

  it('store the registry password sealed, never send it back, and keep it when a patch omits it', async () => {
    const { settings, home } = store();
    const view = await settings.update('s1', 'web', patch({ registry: { url: 'reg.example.com/team', username: 'ci', password: 'hunter22' } }));
    expect(view.registry).toEqual({ url: 'reg.example.com/team', username: 'ci', passwordSet: true });
    expect(storeBytes(home)).not.toContain('hunter22');
    await settings.update('s1', 'web', patch({ registry: { url: 'reg.example.com/team' } }));
    expect(await settings.registryAccess('s1', 'web')).toEqual({ url: 'reg.example.com/team', username: 'ci', password: 'hunter22' });
  });

  it('drop the credentials when the registry changes, and the registry when set to null', async () => {
    const { settings } = store();
    await settings.update('s1', 'web', patch({ registry: { url: 'a.example.com', username: 'ci', password: 'x' } }));
    expect((await settings.update('s1', 'web', patch({ registry: { url: 'b.example.com' } }))).registry).toEqual({ url: 'b.example.com', username: null, passwordSet: false });
    expect((await settings.update('s1', 'web', patch({ registry: null }))).registry).toBeNull();
  });
});
