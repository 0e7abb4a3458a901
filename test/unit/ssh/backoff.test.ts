import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff } from '../../../electron/core/ssh/backoff';

describe('reconnect backoff', () => {
  it('doubles from one second', () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, defaultBackoff, () => 0));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never waits longer than thirty seconds', () => {
    expect(backoffDelay(5, defaultBackoff, () => 0)).toBe(30_000);
    expect(backoffDelay(50, defaultBackoff, () => 0)).toBe(30_000);
  });

  it('jitters each delay down by at most a quarter', () => {
    expect(backoffDelay(0, defaultBackoff, () => 1)).toBe(750);
    expect(backoffDelay(10, defaultBackoff, () => 0.5)).toBe(26_250);
  });
});
