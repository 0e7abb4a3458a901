import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BacklogCutoff } from '../../../electron/cli/log-backlog';

const timings = { quietMs: 500, firstLineMs: 3000, maxMs: 2000 };

describe('when berth logs without -f has printed the backlog', () => {
  let done: ReturnType<typeof vi.fn<() => void>>;
  beforeEach(() => {
    vi.useFakeTimers();
    done = vi.fn<() => void>();
  });
  afterEach(() => vi.useRealTimers());

  it('ends once every container gave its tail lines, and prints no more than that', async () => {
    const cutoff = new BacklogCutoff(2, done, timings);
    cutoff.start(['web-1-0', 'web-1-1']);
    expect([cutoff.accept('web-1-0'), cutoff.accept('web-1-0'), cutoff.accept('web-1-0')]).toEqual([true, true, false]);
    expect(done).not.toHaveBeenCalled();
    cutoff.accept('web-1-1');
    cutoff.accept('web-1-1');
    await Promise.resolve();
    expect(done).toHaveBeenCalledOnce();
  });

  it('ends when no line came for a moment (a container with less history than the tail)', () => {
    const cutoff = new BacklogCutoff(100, done, timings);
    cutoff.start(['web-1-0']);
    cutoff.accept('web-1-0');
    vi.advanceTimersByTime(499);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(done).toHaveBeenCalledOnce();
  });

  it('ends shortly after the first line for an app that never stops logging', () => {
    const cutoff = new BacklogCutoff(100, done, timings);
    cutoff.start(['web-1-0']);
    for (let t = 0; t < 2000; t += 200) {
      cutoff.accept('web-1-0');
      vi.advanceTimersByTime(200);
    }
    expect(done).toHaveBeenCalledOnce();
    expect(cutoff.accept('web-1-0')).toBe(false);
  });

  it('ends when nothing comes at all, or at once for --tail 0', () => {
    new BacklogCutoff(100, done, timings).start(['web-1-0']);
    vi.advanceTimersByTime(3000);
    expect(done).toHaveBeenCalledOnce();
    const none = vi.fn<() => void>();
    new BacklogCutoff(0, none, timings).start(['web-1-0']);
    expect(none).toHaveBeenCalledOnce();
  });
});
