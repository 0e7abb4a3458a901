import { describe, expect, it } from 'vitest';
import type { AppHealth } from '../../../shared/api/servers';
import { changeMessage, trackUptime, type TrackedUptime } from '../../../electron/core/uptime/uptime-tracker';

const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
const ok: AppHealth = { app: 'web', deploymentId: 'd7', seq: 7, running: 1, expected: 1, state: 'ok', detail: '#7: 1/1 running, answers through the edge proxy (GET /health → 200)' };
const exited: AppHealth = { ...ok, running: 0, state: 'down', reason: 'exited with code 137', detail: '#7 is recorded live, but none of its 1 container(s) or task(s) runs (exited with code 137)' };
const deploying: AppHealth = { ...exited, state: 'warning', detail: `${exited.detail}, while deployment #8 is starting: not counted as down` };
const unreachable: AppHealth = { ...ok, running: 0, state: 'unchecked', detail: 'not checked: Docker does not answer' };

/** Feeds looks (at second s) one after another, returning every state and change. */
function run(looks: Array<[number, AppHealth]>, start?: TrackedUptime) {
  let state = start;
  return looks.map(([s, health]) => {
    const { next, change } = trackUptime(state, 's1', health, t(s));
    state = next;
    return { state: next.state, reason: next.reason, change };
  });
}

describe('the app-down verdict over time', () => {
  it('announces a container killed by hand once it is seen down over two looks two seconds apart', () => {
    expect(run([[0, ok], [5, exited], [6, exited], [7, exited], [8, exited]]).map((r) => r.change)).toEqual([null, null, null, 'down', null]);
  });

  it('says back up as soon as it serves again', () => {
    const looks = run([[0, ok], [5, exited], [8, exited], [10, ok]]);
    expect(looks[2]).toEqual({ state: 'down', reason: 'exited with code 137', change: 'down' });
    expect(looks[3]).toEqual({ state: 'up', reason: null, change: 'up' });
  });

  it('raises nothing for a look that finds it down once (a switch, or an app Berth removes)', () => {
    expect(run([[0, ok], [5, exited], [10, ok]]).map((r) => r.change)).toEqual([null, null, null]);
  });

  it('raises nothing while a deployment of the app is under way, however long it takes', () => {
    expect(run([[0, ok], [5, deploying], [10, deploying], [15, deploying], [20, ok]]).map((r) => r.change)).toEqual([null, null, null, null, null]);
  });

  it('raises nothing when the new release replaced the old one between two looks', () => {
    const next: AppHealth = { ...ok, deploymentId: 'd8', seq: 8 };
    expect(run([[0, ok], [5, exited], [8, next], [12, next]]).map((r) => r.change)).toEqual([null, null, null, null]);
  });

  it('keeps a down app down while a deployment runs, and says back up once the new release serves', () => {
    const fixed: AppHealth = { ...ok, deploymentId: 'd8', seq: 8 };
    const looks = run([[0, exited], [3, exited], [6, deploying], [9, fixed]]);
    expect(looks.map((r) => r.state)).toEqual(['unknown', 'down', 'down', 'up']);
    expect(looks.map((r) => r.change)).toEqual([null, 'down', null, 'up']);
  });

  it('says nothing about an app on a server it cannot reach, keeping the last verdict', () => {
    const looks = run([[0, ok], [5, unreachable], [10, unreachable], [15, ok]]);
    expect(looks.map((r) => r.state)).toEqual(['up', 'up', 'up', 'up']);
    expect(looks.map((r) => r.change)).toEqual([null, null, null, null]);
  });

  it('is unknown for an app without a live release', () => {
    const none: AppHealth = { app: 'web', deploymentId: null, seq: null, running: 0, expected: 0, state: 'unchecked', detail: 'no live release' };
    expect(run([[0, none]])).toEqual([{ state: 'unknown', reason: null, change: null }]);
  });

  it('keeps one announcement for one outage even when its reason changes', () => {
    const restarting: AppHealth = { ...exited, reason: 'restarting after exiting with code 1' };
    const looks = run([[0, ok], [5, exited], [8, exited], [11, restarting]]);
    expect(looks.map((r) => r.change)).toEqual([null, null, 'down', null]);
    expect(looks[3]?.reason).toBe('restarting after exiting with code 1');
  });

  it('words the announcements with the reason and how long it was down', () => {
    const first = trackUptime(undefined, 's1', exited, t(0)).next;
    const down = trackUptime(first, 's1', exited, t(3)).next;
    const up = trackUptime(down, 's1', ok, t(33)).next;
    expect(changeMessage('down', down)).toBe('web #7 is down: exited with code 137.');
    expect(changeMessage('up', up, down)).toBe(`web #7 is back up after 30 s down: ${ok.detail}.`);
  });
});
