import { describe, expect, it } from 'vitest';
import { busyApps } from '../../../electron/core/uptime/busy';
import { deployment } from '../deploy/fixtures';

describe('apps Berth is changing', () => {
  it('names the newest deployment or rollback under way per app', () => {
    const busy = busyApps(
      [deployment({ id: 'a', seq: 4, status: 'queued' }), deployment({ id: 'b', seq: 3, status: 'building' }), deployment({ id: 'c', app: 'api', seq: 2, kind: 'rollback', status: 'starting' })],
      [],
      () => false,
    );
    expect(busy).toEqual(new Map([['web', 'deployment #4 is queued'], ['api', 'rollback #2 is starting']]));
  });

  it('counts a live release in its watch window, which reverts it by itself', () => {
    const live = deployment({ id: 'w', seq: 5, status: 'live' });
    expect(busyApps([], [live], (id) => id === 'w')).toEqual(new Map([['web', '#5 is in its watch window after going live']]));
    expect(busyApps([], [live], () => false).size).toBe(0);
  });
});
