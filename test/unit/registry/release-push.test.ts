import { describe, expect, it } from 'vitest';
import type { RegistryPush } from '../../../shared/api/deployments';
import { BerthError, toEnvelope } from '../../../shared/errors';
import { notificationFor } from '../../../shared/notifications';
import { pushNote } from '../../../electron/cli/format';
import type { pushRelease } from '../../../electron/core/registry/image-transfer';
import { afterFailedPush, PUSH_ATTEMPTS, pushWithRetries } from '../../../electron/core/registry/release-push';

const down = toEnvelope(new BerthError('REGISTRY_ERROR', 'Could not push 127.0.0.1:45000/web:3: connection refused'));
const quick = { baseMs: 1, capMs: 4, jitter: 0 };
const registry = { url: '127.0.0.1:45000', username: 'ci', password: 's3cret-pass' };
const record = { app: 'web', seq: 3, image: { id: 'sha256:abc' } };

/** A push that fails `failures` times with the registry down, then works. */
function flakyPush(failures: number): { push: typeof pushRelease; calls: () => number } {
  let calls = 0;
  const push = (async () => {
    calls += 1;
    if (calls <= failures) throw new BerthError('REGISTRY_ERROR', 'Could not push 127.0.0.1:45000/web:3: connection refused');
    return '127.0.0.1:45000/web@sha256:d1';
  }) as unknown as typeof pushRelease;
  return { push, calls: () => calls };
}

function run(push: typeof pushRelease, signal = new AbortController().signal) {
  const reports: RegistryPush[] = [];
  const lines: string[] = [];
  const done = pushWithRetries({ docker: {} as never, registry, record, signal, push, backoff: quick, report: (p) => reports.push(p), log: (_s, t) => lines.push(t) });
  return { done, reports, lines };
}

describe('after a failed push', () => {
  it('retries a registry that did not answer, waiting longer each time', () => {
    expect(afterFailedPush(1, down, { backoff: { baseMs: 1000, capMs: 8000, jitter: 0 } })).toEqual({ retryInMs: 1000 });
    expect(afterFailedPush(2, down, { backoff: { baseMs: 1000, capMs: 8000, jitter: 0 } })).toEqual({ retryInMs: 2000 });
  });

  it('gives up after the last attempt', () => {
    expect(afterFailedPush(PUSH_ATTEMPTS, down)).toBe('give-up');
  });

  it('gives up at once on wrong credentials, which no retry fixes', () => {
    expect(afterFailedPush(1, toEnvelope(new BerthError('REGISTRY_AUTH_FAILED', 'unauthorized')))).toBe('give-up');
  });
});

describe('a push with retries', () => {
  it('says it is pushing, then pushed, when a retry works', async () => {
    const flaky = flakyPush(2);
    const { done, reports } = run(flaky.push);
    expect(await done).toMatchObject({ state: 'pushed', attempts: 3, error: null });
    expect(reports.map((r) => [r.state, r.attempts, r.error?.code ?? null])).toEqual([
      ['pushing', 0, null],
      ['pushing', 1, 'REGISTRY_ERROR'],
      ['pushing', 2, 'REGISTRY_ERROR'],
      ['pushed', 3, null],
    ]);
  });

  it('records the failure with its reason after every attempt failed', async () => {
    const flaky = flakyPush(100);
    const { done, lines } = run(flaky.push);
    const result = await done;
    expect(result).toMatchObject({ state: 'failed', attempts: PUSH_ATTEMPTS, registry: '127.0.0.1:45000' });
    expect(result.error?.message).toMatch(/connection refused/);
    expect(flaky.calls()).toBe(PUSH_ATTEMPTS);
    expect(lines.at(-1)).toMatch(new RegExp(`failed after ${PUSH_ATTEMPTS} attempts: .*connection refused`));
  });

  it('says the push was cut short when Berth closes while it waits to retry', async () => {
    const controller = new AbortController();
    const push = (async () => {
      queueMicrotask(() => controller.abort());
      throw new BerthError('REGISTRY_ERROR', 'connection refused');
    }) as unknown as typeof pushRelease;
    const reports: RegistryPush[] = [];
    const result = await pushWithRetries({ docker: {} as never, registry, record, signal: controller.signal, push, backoff: { baseMs: 60_000, capMs: 60_000, jitter: 0 }, report: (p) => reports.push(p), log: () => undefined });
    expect(result.state).toBe('failed');
    expect(result.error?.code).toBe('CANCELLED');
    expect(result.error?.message).toMatch(/Berth closed before #3 was pushed .* the next deploy of web pushes it again/);
  });
});

describe('a push shown to the user', () => {
  it('names the failure and its reason in the history note', () => {
    expect(pushNote({ push: { state: 'failed', registry: '127.0.0.1:45000', attempts: 4, at: 'T', error: down } })).toBe(`push failed: REGISTRY_ERROR: ${down.message}`);
    expect(pushNote({ push: { state: 'pushing', registry: '127.0.0.1:45000', attempts: 1, at: 'T', error: down } })).toBe('pushing to 127.0.0.1:45000 (attempt 2)');
    expect(pushNote({ push: { state: 'pushed', registry: '127.0.0.1:45000', attempts: 1, at: 'T', error: null } })).toBe('');
  });

  it('is a warning notification naming the app and the release', () => {
    expect(notificationFor('notifications.pushFailed', { app: 'web', seq: 3, message: 'connection refused' }, 'prod')).toEqual({
      title: 'web: #3 was not pushed to its registry on prod',
      body: 'connection refused',
      level: 'warning',
    });
  });
});
