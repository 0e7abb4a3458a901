import { describe, expect, it } from 'vitest';
import { parseContainerEvent, sinceOf, withExit, type ContainerEvent } from '../../../electron/core/uptime/container-events';

const actor = (extra: Record<string, string> = {}) => ({ ID: 'c1', Attributes: { name: 'web-7-a-0', 'berth.app': 'web', 'berth.role': 'app', 'berth.deployment': 'd7', ...extra } });

describe("Docker's container events", () => {
  it('reads a die with its exit code', () => {
    expect(parseContainerEvent({ Type: 'container', Action: 'die', Actor: actor({ exitCode: '137' }), timeNano: '1764590400123456789' })).toMatchObject({
      app: 'web',
      deployment: 'd7',
      name: 'web-7-a-0',
      action: 'die',
      exitCode: 137,
    });
  });

  it('reads a health status and an oom', () => {
    expect(parseContainerEvent({ Type: 'container', Action: 'health_status: unhealthy', Actor: actor() })).toMatchObject({ action: 'health_status', health: 'unhealthy', exitCode: null });
    expect(parseContainerEvent({ Type: 'container', Action: 'oom', Actor: actor() })).toMatchObject({ action: 'oom' });
  });

  it('ignores other actions, other types and containers that are not an app', () => {
    expect(parseContainerEvent({ Type: 'container', Action: 'exec_start: sh', Actor: actor() })).toBeNull();
    expect(parseContainerEvent({ Type: 'network', Action: 'die', Actor: actor() })).toBeNull();
    expect(parseContainerEvent({ Type: 'container', Action: 'die', Actor: actor({ 'berth.role': 'proxy' }) })).toBeNull();
  });

  it("resumes from an event's time in seconds", () => {
    expect(sinceOf('1764590400123456789')).toBeCloseTo(1764590400.123457, 5);
    expect(sinceOf('')).toBeUndefined();
  });
});

describe('the exits kept per release', () => {
  const event = (action: ContainerEvent['action'], exitCode: number | null): ContainerEvent => ({ app: 'web', deployment: 'd7', name: 'web-7-a-0', action, exitCode, health: null, timeNano: '' });
  const at = '2026-12-01T00:00:00.000Z';

  it('joins an oom and the die after it into one OOM-killed exit', () => {
    expect(withExit(withExit([], event('oom', null), at), event('die', 137), at)).toEqual([{ name: 'web-7-a-0', exitCode: 137, oom: true, at }]);
  });

  it('keeps separate dies apart, and only the last few', () => {
    let list = withExit([], event('die', 1), at);
    list = withExit(list, event('die', 137), at);
    expect(list.map((e) => e.exitCode)).toEqual([1, 137]);
    expect(withExit(list, event('die', 2), at, 2).map((e) => e.exitCode)).toEqual([137, 2]);
  });
});
