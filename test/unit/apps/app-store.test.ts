import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppInput, AppPatch } from '../../../shared/api/apps';
import { AppStore, appView, openEnv } from '../../../electron/core/apps/app-store';
import { berthPaths } from '../../../electron/core/home';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';
import { storeBytes } from '../../support/store-bytes';

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'berth-apps-'));
  const paths = berthPaths(home);
  const secrets = new KeyFileSecrets(paths.secretKey);
  return { store: new AppStore(paths, secrets), secrets, home };
}

const input = (env: unknown[] = []) =>
  AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'image', image: 'nginx:1' }, runtime: { env } });

describe('AppStore', () => {
  it("writes a preview's derived definition over its own, never over another app", async () => {
    const { store } = setup();
    const app = await store.create(input());
    const preview = { ...app, name: 'web-a', previewOf: { app: 'web', ref: 'a' } };
    store.put(preview);
    store.put({ ...preview, updatedAt: 'later' });
    expect(store.get('s1', 'web-a')).toMatchObject({ previewOf: { app: 'web', ref: 'a' }, updatedAt: 'later' });
    expect(() => store.put({ ...app, previewOf: { app: 'other', ref: 'a' } })).toThrow(/already has an app called "web"/);
    expect(() => store.put({ ...preview, previewOf: { app: 'web', ref: 'b' } })).toThrow(/already has an app called "web-a"/);
    expect(store.get('s1', 'web').previewOf).toBeUndefined();
  });

  it('keeps a preview limit given on create and changed by a patch', async () => {
    const { store } = setup();
    await store.create(AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'image', image: 'a' }, previews: { limit: 2 } }));
    expect(store.get('s1', 'web').previews).toEqual({ limit: 2 });
    expect((await store.update('s1', 'web', AppPatch.parse({ previews: { limit: 0 } }))).previews).toEqual({ limit: 0 });
  });

  it('seals secret env values on disk and shows them as null', async () => {
    const { store, home } = setup();
    const app = await store.create(input([{ key: 'TOKEN', value: 'hunter22', secret: true }, { key: 'MODE', value: 'prod' }]));
    expect(storeBytes(home)).toContain('TOKEN');
    expect(storeBytes(home)).not.toContain('hunter22');
    expect(appView(app).runtime.env).toEqual([
      { key: 'TOKEN', value: null, secret: true },
      { key: 'MODE', value: 'prod', secret: false },
    ]);
  });

  it('keeps a stored secret when an update sends it without a value', async () => {
    const { store, secrets } = setup();
    await store.create(input([{ key: 'TOKEN', value: 'hunter22', secret: true }]));
    const updated = await store.update('s1', 'web', AppPatch.parse({ runtime: { env: [{ key: 'TOKEN', secret: true }, { key: 'X', value: '1' }] } }));
    expect((await openEnv(updated.runtime.env, secrets)).pairs).toEqual(['TOKEN=hunter22', 'X=1']);
  });

  it('changes only the fields a patch names', async () => {
    const { store } = setup();
    await store.create(AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'image', image: 'a' }, runtime: { replicas: 3, domains: ['a.test'] } }));
    const updated = await store.update('s1', 'web', AppPatch.parse({ runtime: { httpPort: 3000 } }));
    expect(updated.runtime).toMatchObject({ replicas: 3, domains: ['a.test'], httpPort: 3000 });
  });

  it('refuses a second app with the same name', async () => {
    const { store } = setup();
    await store.create(input());
    await expect(store.create(input())).rejects.toMatchObject({ code: 'APP_EXISTS' });
  });

  it('refuses a relative source folder', async () => {
    const { store } = setup();
    const relative = AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'folder', path: 'app' } });
    await expect(store.create(relative)).rejects.toMatchObject({ code: 'SOURCE_INVALID' });
  });

  it('imports an env file, and refuses one with malformed lines, naming them', async () => {
    const { store } = setup();
    await store.create(input([{ key: 'A', value: 'old' }]));
    const merged = await store.importEnv('s1', 'web', 'A=new\nB=2', false);
    expect(appView(merged).runtime.env.map((e) => `${e.key}=${e.value}`)).toEqual(['A=new', 'B=2']);
    await expect(store.importEnv('s1', 'web', 'C=3\nbroken', false)).rejects.toMatchObject({ code: 'ENV_PARSE_ERROR', details: { errors: [{ line: 2 }] } });
  });
});
