import { describe, expect, it } from 'vitest';
import type { PreviewView } from '../../../shared/api/previews';
import { createPreviewsStore, previewsOf } from '../../../renderer/src/stores/previews';
import { fakeApi, flush } from './fake-api';

const view = (ref: string): PreviewView => ({ serverId: 's1', name: `web-${ref}`, app: 'web', ref, domains: [`${ref}.web.example.com`], latest: null, createdAt: '2026-12-03T12:00:00.000Z' });

describe('the previews store', () => {
  it("loads an app's previews as the engine lists them", async () => {
    const fake = fakeApi({ 'previews.list': () => [view('a'), view('b')] });
    const store = createPreviewsStore(fake.api);
    await store.getState().load('s1', 'web');
    expect(previewsOf(store.getState(), 's1', 'web').list.map((p) => p.ref)).toEqual(['a', 'b']);
    expect(previewsOf(store.getState(), 's1', 'other').loaded).toBe(false);
  });

  it('keeps a refusal of the engine beside the app', async () => {
    const fake = fakeApi({
      'previews.list': () => {
        throw Object.assign(new Error('gone'), { code: 'APP_NOT_FOUND' });
      },
    });
    const store = createPreviewsStore(fake.api);
    await store.getState().load('s1', 'web');
    expect(previewsOf(store.getState(), 's1', 'web')).toMatchObject({ loaded: true, error: { code: 'APP_NOT_FOUND' } });
  });

  it('reads the list again once a preview is deployed, removed, or an app of its server changes', async () => {
    let list = [view('a')];
    const fake = fakeApi({
      'previews.list': () => list,
      'previews.remove': () => ({ name: 'web-a', ref: 'a', reason: 'user', imagesRemoved: 1, records: 'kept', recordCount: 2 }),
    });
    const store = createPreviewsStore(fake.api);
    store.getState().start();
    await store.getState().load('s1', 'web');
    list = [];
    await store.getState().remove('s1', 'web', 'a', false);
    expect(previewsOf(store.getState(), 's1', 'web').list).toEqual([]);
    expect(fake.callsOf('previews.remove')).toEqual([{ serverId: 's1', app: 'web', ref: 'a', dropRecords: false }]);
    list = [view('b')];
    fake.emit('apps.changed', { serverId: 's1', name: 'web-b', removed: false });
    await flush();
    expect(previewsOf(store.getState(), 's1', 'web').list.map((p) => p.ref)).toEqual(['b']);
  });
});
