import { describe, expect, it } from 'vitest';
import type { AppUptime } from '../../../shared/api/uptime';
import { createUptimeStore, uptimeKey } from '../../../renderer/src/stores/uptime';
import { fakeApi, flush } from './fake-api';

const at = '2026-12-01T12:00:00.000Z';
const up: AppUptime = { serverId: 's1', app: 'web', deploymentId: 'd7', seq: 7, state: 'up', reason: null, detail: '#7: 1/1 running', since: at, checkedAt: at };
const down: AppUptime = { ...up, state: 'down', reason: 'exited with code 137', detail: '#7 is recorded live, but none of its 1 container(s) runs' };

describe('app uptime in the window', () => {
  it("loads the watch's verdicts and follows each change", async () => {
    const fake = fakeApi({ 'uptime.list': () => [up] });
    const store = createUptimeStore(fake.api);
    store.getState().start();
    await flush();
    expect(store.getState().byApp[uptimeKey('s1', 'web')]?.state).toBe('up');
    fake.emit('uptime.changed', down);
    expect(store.getState().byApp[uptimeKey('s1', 'web')]).toMatchObject({ state: 'down', reason: 'exited with code 137' });
  });

  it('forgets an app once its verdict is unknown (removed, or no live release)', async () => {
    const fake = fakeApi({ 'uptime.list': () => [down] });
    const store = createUptimeStore(fake.api);
    store.getState().start();
    await flush();
    fake.emit('uptime.changed', { ...down, state: 'unknown', reason: null });
    expect(store.getState().byApp).toEqual({});
  });
});
