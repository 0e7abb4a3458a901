import { describe, expect, it } from 'vitest';
import { appsOf, createAppsStore } from '../../../renderer/src/stores/apps';
import { fakeApi, flush } from './fake-api';
import { app } from './fixtures';

describe('the apps store', () => {
  it('loads a server’s apps sorted by name', async () => {
    const fake = fakeApi({ 'apps.list': () => [app('worker'), app('docs'), app('shop')] });
    const store = createAppsStore(fake.api);
    await store.getState().load('s1');
    expect(appsOf(store.getState(), 's1').list.map((a) => a.name)).toEqual(['docs', 'shop', 'worker']);
  });

  it('keeps a load error beside the server’s slot', async () => {
    const fake = fakeApi({
      'apps.list': () => {
        throw Object.assign(new Error('no link'), { code: 'SSH_DISCONNECTED' });
      },
    });
    const store = createAppsStore(fake.api);
    await store.getState().load('s1');
    expect(appsOf(store.getState(), 's1')).toMatchObject({ loaded: true, error: { code: 'SSH_DISCONNECTED' } });
  });

  it('reloads a loaded server when one of its apps changes elsewhere', async () => {
    let list = [app('shop')];
    const fake = fakeApi({ 'apps.list': () => list });
    const store = createAppsStore(fake.api);
    store.getState().start();
    await store.getState().load('s1');
    list = [app('shop'), app('api')];
    fake.emit('apps.changed', { serverId: 's1', name: 'api', removed: false });
    await flush();
    expect(appsOf(store.getState(), 's1').list.map((a) => a.name)).toEqual(['api', 'shop']);
  });

  it('does not load servers nobody looked at', () => {
    const fake = fakeApi({ 'apps.list': () => [] });
    const store = createAppsStore(fake.api);
    store.getState().start();
    fake.emit('apps.changed', { serverId: 's9', name: 'x', removed: false });
    expect(fake.callsOf('apps.list')).toEqual([]);
  });

  it('puts a created app into its server’s list and removes a removed one', async () => {
    const fake = fakeApi({ 'apps.create': () => app('shop'), 'apps.remove': () => ({ removed: true }) });
    const store = createAppsStore(fake.api);
    await store.getState().create({ serverId: 's1', name: 'shop', source: { kind: 'folder', path: '/src' } });
    expect(appsOf(store.getState(), 's1').list).toHaveLength(1);
    await store.getState().remove('s1', 'shop');
    expect(appsOf(store.getState(), 's1').list).toHaveLength(0);
  });
});
