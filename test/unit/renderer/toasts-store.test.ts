import { describe, expect, it } from 'vitest';
import { createToastsStore } from '../../../renderer/src/stores/toasts';

function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return { pending, setTimeout: (fn: () => void, ms: number) => pending.push({ fn, ms }), runAll: () => pending.splice(0).forEach((t) => t.fn()) };
}

describe('the toasts store', () => {
  it('lets a success toast leave by itself', () => {
    const timers = manualTimers();
    const toasts = createToastsStore(timers);
    toasts.getState().push({ title: 'shop is live', level: 'success' });
    expect(toasts.getState().toasts).toHaveLength(1);
    timers.runAll();
    expect(toasts.getState().toasts).toHaveLength(0);
  });

  it('keeps an error toast until it is dismissed', () => {
    const timers = manualTimers();
    const toasts = createToastsStore(timers);
    const id = toasts.getState().push({ title: 'failed', level: 'error', code: 'BUILD_FAILED' });
    expect(timers.pending).toHaveLength(0);
    toasts.getState().dismiss(id);
    expect(toasts.getState().toasts).toHaveLength(0);
  });

  it('replaces a toast about the same deployment instead of stacking a second one', () => {
    const toasts = createToastsStore(manualTimers());
    toasts.getState().push({ title: 'health check failed', level: 'warning', key: 'deployment:d3' });
    toasts.getState().push({ title: '#3 failed', level: 'error', key: 'deployment:d3' });
    expect(toasts.getState().toasts.map((t) => t.title)).toEqual(['#3 failed']);
  });

  it('shows at most four, dropping the oldest', () => {
    const toasts = createToastsStore(manualTimers());
    for (let i = 1; i <= 6; i++) toasts.getState().push({ title: `t${i}`, level: 'info' });
    expect(toasts.getState().toasts.map((t) => t.title)).toEqual(['t3', 't4', 't5', 't6']);
  });
});
