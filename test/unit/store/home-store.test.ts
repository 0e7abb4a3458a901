import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppInput, AppPatch } from '../../../shared/api/apps';
import { AppStore } from '../../../electron/core/apps/app-store';
import { berthPaths } from '../../../electron/core/home';
import { ReleaseStore } from '../../../electron/core/releases/release-store';
import { HomeStore } from '../../../electron/core/store/home-store';
import { KeyFileSecrets } from '../../../electron/core/store/key-file-secrets';
import { deployment } from '../deploy/fixtures';

function setup() {
  const paths = berthPaths(mkdtempSync(join(tmpdir(), 'berth-home-')));
  return { paths, store: HomeStore.open(paths.home), releases: new ReleaseStore(paths), apps: new AppStore(paths, new KeyFileSecrets(paths.secretKey)) };
}

describe('the home store', () => {
  it('numbers new deployments of an app one after another, whatever was recorded before', () => {
    const { releases } = setup();
    releases.save(deployment({ id: 'web-7', seq: 7 }));
    const created = [1, 2].map(() => releases.create('s1', 'web', (seq) => deployment({ id: `web-${seq}`, seq })));
    expect(created.map((d) => d.seq)).toEqual([8, 9]);
    expect(releases.create('s1', 'api', (seq) => deployment({ id: `api-${seq}`, app: 'api', seq })).seq).toBe(1);
  });

  it('keeps both of two updates of one app that overlap, the later one computed again from the first', async () => {
    const { apps } = setup();
    await apps.create(AppInput.parse({ serverId: 's1', name: 'web', source: { kind: 'image', image: 'a' } }));
    await Promise.all([
      apps.update('s1', 'web', AppPatch.parse({ runtime: { httpPort: 3000 } })),
      apps.update('s1', 'web', AppPatch.parse({ runtime: { replicas: 3 } })),
    ]);
    expect(apps.get('s1', 'web').runtime).toMatchObject({ httpPort: 3000, replicas: 3 });
  });

  it('sets an unreadable deployment row aside, keeps its content, and warns once', () => {
    const { store, releases } = setup();
    for (const seq of [1, 2, 3]) releases.save(deployment({ id: `web-${seq}`, seq }));
    store.db.prepare("UPDATE deployments SET doc = '{' WHERE id = 'web-2'").run();
    expect(releases.list('s1', { app: 'web' }).map((d) => d.seq)).toEqual([3, 1]);
    expect(releases.list('s1', { app: 'web' }).map((d) => d.seq)).toEqual([3, 1]);
    expect(store.warnings.list().map((w) => w.code)).toEqual(['RECORD_QUARANTINED']);
    expect(store.db.prepare("SELECT content FROM quarantine WHERE source = 'deployments/s1/web-2'").get()).toEqual({ content: '{' });
  });

  it('finds the live release without reading the rest of the history', () => {
    const { releases } = setup();
    releases.save(deployment({ id: 'web-1', seq: 1, status: 'live' }));
    for (let seq = 2; seq <= 50; seq++) releases.save(deployment({ id: `web-${seq}`, seq, status: 'failed' }));
    expect(releases.live('s1', 'web')?.id).toBe('web-1');
    expect(releases.withStatus('s1', ['queued', 'building'])).toEqual([]);
    expect(releases.list('s1', { app: 'web', limit: 2 }).map((d) => d.seq)).toEqual([50, 49]);
  });

  it('updates a document in one transaction', () => {
    const { store } = setup();
    const doc = store.document<{ n: number }>('counter', () => ({ n: 0 }));
    for (let i = 0; i < 5; i++) doc.update((c) => ({ n: c.n + 1 }));
    expect(doc.read()).toEqual({ n: 5 });
  });
});
