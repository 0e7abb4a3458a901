import { describe, expect, it } from 'vitest';
import type { Toast } from '../../../renderer/src/stores/toasts';
import { createDeploymentsStore, historyOf, PAGE } from '../../../renderer/src/stores/deployments';
import { fakeApi, flush } from './fake-api';
import { deployment } from './fixtures';

function setup(handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi(handlers);
  const toasts: Omit<Toast, 'id'>[] = [];
  const store = createDeploymentsStore({ api: fake.api, toast: (t) => toasts.push(t) && toasts.length, serverName: () => 'prod-eu' });
  store.getState().start();
  return { fake, store, toasts };
}

describe('the deployments store', () => {
  it('loads an app’s history newest first', async () => {
    const { store } = setup({ 'deployments.list': () => [deployment(3), deployment(2), deployment(1)] });
    await store.getState().load('s1', 'shop');
    expect(historyOf(store.getState(), 's1', 'shop')).toMatchObject({ loaded: true, more: false });
    expect(historyOf(store.getState(), 's1', 'shop').list.map((d) => d.seq)).toEqual([3, 2, 1]);
  });

  it('pages older deployments by seq when a full page came back', async () => {
    const page = Array.from({ length: PAGE }, (_, i) => deployment(PAGE + 10 - i));
    const { fake, store } = setup({
      'deployments.list': (input: { before?: number }) => (input.before ? [deployment(3)] : page),
    });
    await store.getState().load('s1', 'shop');
    expect(historyOf(store.getState(), 's1', 'shop').more).toBe(true);
    await store.getState().loadOlder('s1', 'shop');
    expect(fake.callsOf('deployments.list').at(-1)).toMatchObject({ before: 11 });
    expect(historyOf(store.getState(), 's1', 'shop')).toMatchObject({ more: false });
    expect(historyOf(store.getState(), 's1', 'shop').list.at(-1)?.seq).toBe(3);
  });

  it('refreshes a deployment when the engine says it changed', async () => {
    let live = deployment(4, { status: 'building', timestamps: { queued: 'a', building: 'b' } });
    const { fake, store } = setup({ 'deployments.list': () => [live], 'deployments.get': () => live });
    await store.getState().load('s1', 'shop');
    live = { ...live, status: 'live' };
    fake.emit('deployments.changed', { id: 'd4', serverId: 's1', app: 'shop', seq: 4, kind: 'deploy', status: 'live', title: 'x', error: null, finishedAt: null });
    await flush();
    expect(historyOf(store.getState(), 's1', 'shop').list[0]?.status).toBe('live');
  });

  it('adds a new deployment from another window to the top of the history', async () => {
    const { fake, store } = setup({ 'deployments.list': () => [deployment(1)], 'deployments.get': () => deployment(2, { status: 'queued' }) });
    await store.getState().load('s1', 'shop');
    fake.emit('deployments.changed', { id: 'd2', serverId: 's1', app: 'shop', seq: 2, kind: 'deploy', status: 'queued', title: 'x', error: null, finishedAt: null });
    await flush();
    expect(historyOf(store.getState(), 's1', 'shop').list.map((d) => d.seq)).toEqual([2, 1]);
  });

  it('ignores changes of apps nobody is looking at', () => {
    const { fake } = setup({ 'deployments.get': () => deployment(1) });
    fake.emit('deployments.changed', { id: 'd1', serverId: 's1', app: 'other', seq: 1, kind: 'deploy', status: 'live', title: 'x', error: null, finishedAt: null });
    expect(fake.callsOf('deployments.get')).toEqual([]);
  });

  it('shows a deploy it started at once, and refreshes the queue', async () => {
    const { fake, store } = setup({ 'deployments.deploy': () => deployment(5, { status: 'queued' }), 'deployments.queue': () => [] });
    await store.getState().deploy({ serverId: 's1', app: 'shop', title: 'Fix' });
    expect(historyOf(store.getState(), 's1', 'shop').list[0]?.seq).toBe(5);
    expect(fake.callsOf('deployments.queue')).toEqual([{ serverId: 's1' }]);
  });

  it('turns a failed deployment notice into an error toast with its code', () => {
    const { fake, toasts } = setup();
    fake.emit('notifications.deploymentFailed', {
      serverId: 's1',
      app: 'shop',
      deploymentId: 'd7',
      seq: 7,
      message: 'The health check at /health answered 404.',
      error: { code: 'HEALTH_CHECK_FAILED', message: 'The health check at /health answered 404.' },
    });
    expect(toasts).toEqual([
      { title: 'shop: deployment #7 failed on prod-eu', body: 'The health check at /health answered 404.', level: 'error', code: 'HEALTH_CHECK_FAILED', key: 'deployment:d7' },
    ]);
  });

  it('never words a failure as a success', () => {
    const { fake, toasts } = setup();
    fake.emit('notifications.healthCheckFailed', { serverId: 's1', app: 'shop', deploymentId: 'd8', seq: 8, message: 'Reverted to #7.' });
    expect(toasts[0]?.level).toBe('warning');
  });

  it('warns when a release was rolled back by itself, and tracks the watch after going live', () => {
    const { fake, store, toasts } = setup();
    fake.emit('deployments.watch', { serverId: 's1', app: 'shop', deploymentId: 'd9', state: 'watching', until: '2026-11-25T10:01:00Z', probes: 2 });
    expect(store.getState().watch.d9).toEqual({ state: 'watching', until: '2026-11-25T10:01:00Z' });
    fake.emit('notifications.autoRolledBack', { serverId: 's1', app: 'shop', deploymentId: 'd9', seq: 9, revertedTo: 'd8', rollbackId: 'd10', message: '#9 failed its watch; #8 serves again.' });
    expect(toasts[0]).toMatchObject({ level: 'warning', title: 'shop: #9 was rolled back on prod-eu' });
  });

  it('warns when a live release could not be pushed to its registry', () => {
    const { fake, toasts } = setup();
    fake.emit('notifications.pushFailed', { serverId: 's1', app: 'shop', deploymentId: 'd9', seq: 9, message: 'connection refused' });
    expect(toasts[0]).toMatchObject({ level: 'warning', title: 'shop: #9 was not pushed to its registry on prod-eu', body: 'connection refused' });
  });

  it('keeps each server’s latest drift report', () => {
    const { fake, store } = setup();
    const report = { serverId: 's1', at: 'now', items: [{ kind: 'unknown-container' as const, app: 'shop', deploymentId: null, containerId: 'c1', message: 'container shop-41 runs but #42 is live' }] };
    fake.emit('deployments.drift', report);
    expect(store.getState().drift.s1).toEqual(report);
  });
});
