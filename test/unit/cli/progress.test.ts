import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressOrder, type ProgressItem } from '../../../electron/cli/progress';

const line = (ms: number, text: string) => ({ at: new Date(ms).toISOString(), stream: 'out' as const, text });

describe('printing phases and build lines in the order they happened', () => {
  let printed: string[];
  let order: ProgressOrder;
  beforeEach(() => {
    vi.useFakeTimers();
    printed = [];
    order = new ProgressOrder((item: ProgressItem) => printed.push(item.kind === 'phase' ? `[${item.status}]` : item.line.text), 100);
  });
  afterEach(() => vi.useRealTimers());

  it('prints the last build lines of a batch that arrives late before the next phase', () => {
    order.phase('starting', 1000);
    order.lines([line(990, 'Successfully built'), line(1005, 'Started web-3-0')]);
    expect(printed).toEqual(['Successfully built', '[starting]', 'Started web-3-0']);
  });

  it('prints a phase on its own when no line follows it', () => {
    order.phase('health-checking', 1000);
    expect(printed).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(printed).toEqual(['[health-checking]']);
  });

  it('flushes held phases at the end, in order', () => {
    order.phase('health-checking', 1000);
    order.phase('live', 1200);
    order.flush();
    expect(printed).toEqual(['[health-checking]', '[live]']);
  });
});
