import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/api/deployments';
import { canTransition, isInProgress, phaseDurations, transition } from '../../../electron/core/deploy/state-machine';

function record(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 'web-1-aaaaaa', serverId: 's1', app: 'web', seq: 1, kind: 'deploy', trigger: 'user', title: '', description: '',
    status: 'queued', error: null, note: null, timestamps: { queued: '2026-01-01T00:00:00.000Z' }, finishedAt: null, runtime: null,
    source: { source: { kind: 'image', image: 'a', pull: 'missing' }, commit: null }, build: null,
    config: { httpPort: 8080, published: [], volumes: [], limits: {}, restart: 'no', replicas: 1, command: null, healthCheck: { kind: 'none', intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0 }, domains: [], labels: {}, env: [] },
    retention: {}, image: null, slot: null, containers: [], switch: null, logPath: '/x.log', rolledBackFrom: null, target: null, supersededBy: null,
    ...over,
  };
}

describe('the deployment state machine', () => {
  it('walks queued → building → starting → health-checking → live, stamping each entry', () => {
    let d = record();
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    d = transition(d, 'building', t(1));
    d = transition(d, 'starting', t(3));
    d = transition(d, 'health-checking', t(4));
    d = transition(d, 'live', t(5));
    expect(d.status).toBe('live');
    expect(d.finishedAt).toBe(t(5).toISOString());
    expect(phaseDurations(d)).toEqual({ queuedMs: 1000, buildMs: 2000, startMs: 1000, healthMs: 1000, totalMs: 5000 });
  });

  it('keeps the finish time when a live release later steps down', () => {
    const live = transition(transition(record({ status: 'health-checking' }), 'live', new Date(1000)), 'superseded', new Date(9000));
    expect(live.finishedAt).toBe(new Date(1000).toISOString());
    expect(live.timestamps.superseded).toBe(new Date(9000).toISOString());
  });

  it('refuses moves the lifecycle does not have', () => {
    expect(() => transition(record({ status: 'failed' }), 'live', new Date())).toThrow(/cannot go from failed to live/);
    expect(canTransition('live', 'building')).toBe(false);
    expect(canTransition('health-checking', 'rolled-back')).toBe(true);
  });

  it('lets reconciliation record an interrupted deployment live', () => {
    expect(canTransition('interrupted', 'live')).toBe(true);
  });

  it('counts only queued, building, starting and health-checking as in progress', () => {
    expect(['queued', 'building', 'starting', 'health-checking', 'live', 'failed'].map((s) => isInProgress(s as Deployment['status']))).toEqual([
      true, true, true, true, false, false,
    ]);
  });

  it('records the reason with the move', () => {
    const d = transition(record(), 'failed', new Date(), { error: { code: 'BUILD_FAILED', message: 'boom' } });
    expect(d.error).toEqual({ code: 'BUILD_FAILED', message: 'boom' });
  });
});
