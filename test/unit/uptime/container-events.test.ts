import { describe, expect, it } from 'vitest';
import { parseContainerEvent, sinceOf } from '../../../electron/core/uptime/container-events';

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
