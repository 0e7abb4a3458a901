import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { Deployment, RegistryPush } from '../../../shared/api/deployments';
import { BerthError, toEnvelope, type ErrorEnvelope } from '../../../shared/errors';
import { backoffDelay, type BackoffOptions } from '../ssh/backoff';
import { pushRelease } from './image-transfer';
import { redact, type RegistryAccess } from './registry-ref';

/** Attempts of one push before it is given up and shown as failed; the next deploy of the app tries it again. */
export const PUSH_ATTEMPTS = 4;
export const PUSH_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 8_000, jitter: 0.25 };

/** Failures no retry can fix: wrong credentials, an image that is not there, a cancel. */
const FINAL = new Set(['REGISTRY_AUTH_FAILED', 'IMAGE_GONE', 'CANCELLED']);

/** After attempt `attempt` (1-based) failed with `error`: wait and try again, or give up. */
export function afterFailedPush(
  attempt: number,
  error: ErrorEnvelope,
  options: { attempts?: number; backoff?: BackoffOptions; random?: () => number } = {},
): { retryInMs: number } | 'give-up' {
  if (FINAL.has(error.code) || attempt >= (options.attempts ?? PUSH_ATTEMPTS)) return 'give-up';
  return { retryInMs: backoffDelay(attempt - 1, options.backoff ?? PUSH_BACKOFF, options.random) };
}

/** The record's push state as it changes (the caller saves it on the record and announces it). */
export type PushReport = (push: RegistryPush, digest?: string) => void;

export interface PushAttempts {
  docker: Docker;
  registry: RegistryAccess;
  record: Pick<Deployment, 'app' | 'seq'> & { image: { id: string } };
  signal: AbortSignal;
  report: PushReport;
  log: (stream: 'info' | 'err', text: string) => void;
  /** PUSH_ATTEMPTS unless said (a retry of an earlier release's push tries once). */
  attempts?: number;
  backoff?: BackoffOptions;
  push?: typeof pushRelease;
}

/**
 * Pushes a release, retrying a failure that may pass (the registry down, a dropped link) with backoff. Every change
 * is reported, so the record says at all times whether the release is in the registry, and why not. Never throws.
 */
export async function pushWithRetries(options: PushAttempts): Promise<RegistryPush> {
  const { registry, record, signal, report, log } = options;
  const push = options.push ?? pushRelease;
  const state = (patch: Pick<RegistryPush, 'state' | 'attempts' | 'error'>): RegistryPush => ({ registry: redact(registry.url, registry), at: new Date().toISOString(), ...patch });
  report(state({ state: 'pushing', attempts: 0, error: null }));
  for (let attempt = 1; ; attempt++) {
    let error: ErrorEnvelope;
    try {
      const digest = await push(options.docker, record.image.id, registry, record.app, record.seq, { signal });
      const done = state({ state: 'pushed', attempts: attempt, error: null });
      report(done, digest);
      log('info', `Pushed to the registry as ${digest}`);
      return done;
    } catch (thrown) {
      error = signal.aborted ? cutShort(record, registry) : toEnvelope(thrown);
    }
    const attempts = options.attempts ?? PUSH_ATTEMPTS;
    const next = afterFailedPush(attempt, error, { attempts, ...(options.backoff ? { backoff: options.backoff } : {}) });
    if (next === 'give-up') {
      const failed = state({ state: 'failed', attempts: attempt, error });
      report(failed);
      log('err', `Pushing #${record.seq} to the registry failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${error.message}`);
      return failed;
    }
    report(state({ state: 'pushing', attempts: attempt, error }));
    log('err', `Pushing #${record.seq} to the registry failed (attempt ${attempt} of ${attempts}): ${error.message} Trying again in ${Math.ceil(next.retryInMs / 1000)} s.`);
    const waited = await sleep(next.retryInMs, true, { signal }).catch(() => false);
    if (!waited) {
      const failed = state({ state: 'failed', attempts: attempt, error: cutShort(record, registry) });
      report(failed);
      log('err', failed.error?.message ?? '');
      return failed;
    }
  }
}

function cutShort(record: Pick<Deployment, 'app' | 'seq'>, registry: RegistryAccess): ErrorEnvelope {
  return toEnvelope(
    new BerthError('CANCELLED', `Berth closed before #${record.seq} was pushed to ${redact(registry.url, registry)}; the next deploy of ${record.app} pushes it again.`),
  );
}
