import { describe, expect, it } from 'vitest';
import { readUpdate } from '../../../electron/core/swarm/update-status';

const ours = (state: string, err?: string) => ({
  DesiredState: 'running',
  Status: { State: state, ...(err ? { Err: err } : {}) },
  Spec: { ContainerSpec: { Labels: { 'berth.deployment': 'd2' } } },
});
const options = { updating: true, since: Date.parse('2026-01-01T00:00:00Z'), deploymentId: 'd2', replicas: 1 };

describe('reading what Swarm did with a release', () => {
  it('waits while the update status is older than the request', () => {
    const service = { UpdateStatus: { State: 'completed', StartedAt: '2025-12-31T00:00:00Z' } };
    expect(readUpdate(service, [], options).state).toBe('pending');
  });

  it('is done when the update completed', () => {
    expect(readUpdate({ UpdateStatus: { State: 'completed', StartedAt: '2026-01-01T00:00:01Z' } }, [], options).state).toBe('done');
  });

  it('keeps waiting through a rollback and fails once it completed', () => {
    const started = { State: 'rollback_started', StartedAt: '2026-01-01T00:00:01Z', Message: 'update rolled back due to failure' };
    expect(readUpdate({ UpdateStatus: started }, [], options).state).toBe('pending');
    expect(readUpdate({ UpdateStatus: { ...started, State: 'rollback_completed' } }, [], options)).toMatchObject({ state: 'failed', message: 'update rolled back due to failure' });
  });

  it('judges a new service by its tasks', () => {
    const create = { ...options, updating: false };
    expect(readUpdate({}, [ours('starting')], create).state).toBe('pending');
    expect(readUpdate({}, [ours('running')], create).state).toBe('done');
    expect(readUpdate({}, [ours('failed', 'task: non-zero exit (137): dockerexec: unhealthy container')], create)).toMatchObject({ state: 'failed', message: expect.stringContaining('unhealthy') });
  });
});
