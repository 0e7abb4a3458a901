import { describe, expect, it } from 'vitest';
import type { ContainerFact, ServerFacts, ServiceFact } from '../../../electron/core/reconcile/server-facts';
import { judgeLive, judgeStale, servesAfterAll } from '../../../electron/core/reconcile/verdicts';
import { settle } from '../../../electron/core/reconcile/apply-verdicts';
import { deployment, runtimeSnapshot } from '../deploy/fixtures';

function container(over: Partial<ContainerFact>): ContainerFact {
  return { id: 'c1', name: 'web-2-0', app: 'web', deployment: 'web-2', owner: 'ada@laptop', slot: 'b', replica: 0, running: true, stopped: false, ...over };
}

function standalone(containers: ContainerFact[], ready: string[] = []): ServerFacts {
  const routes = ['a0', 'b0'].map((server) => ({ backend: 'app_web', server, state: ready.includes(server) ? ('ready' as const) : ('maint' as const) }));
  return { runtime: 'standalone', containers, routes, services: [], strangers: [] };
}

function swarm(service: Partial<ServiceFact> | null): ServerFacts {
  const base: ServiceFact = { app: 'web', deployment: 'web-2', owner: '', previousDeployment: 'web-1', taskDeployments: [], updateState: 'updating', updateMessage: '', runningTasks: 0, failedTasks: 0, lastTaskError: '', replicas: 1 };
  return { runtime: 'swarm', containers: [], routes: null, services: service ? [{ ...base, ...service }] : [], strangers: [] };
}

const stale = deployment({ id: 'web-2', seq: 2, status: 'health-checking' });

describe('judging a deployment whose process is gone', () => {
  it('records a standalone release whose slot the proxy routes as live', () => {
    expect(judgeStale(stale, standalone([container({})], ['b0']), undefined).kind).toBe('live');
  });

  it('interrupts a release whose containers run but get no traffic, and removes them', () => {
    const verdict = judgeStale(stale, standalone([container({})], ['a0']), undefined);
    expect(verdict).toMatchObject({ kind: 'interrupted', remove: [{ id: 'c1' }] });
  });

  it('starts the previous version again when a stop-first run was cut short', () => {
    const published = deployment({ ...stale, config: runtimeSnapshot({ httpPort: null, published: [{ container: 80, published: 8080, protocol: 'tcp', hostIp: '127.0.0.1' }] }) });
    const old = container({ id: 'c0', deployment: 'web-1', running: false, stopped: true });
    const verdict = judgeStale(published, standalone([old, container({ running: false, stopped: true })]), deployment({ id: 'web-1', status: 'live' }));
    expect(verdict).toMatchObject({ kind: 'interrupted', restart: [{ id: 'c0' }] });
  });

  it('follows a Swarm update that is still converging', () => {
    expect(judgeStale(stale, swarm({ updateState: 'updating' }), undefined).kind).toBe('follow');
    expect(judgeStale(stale, swarm({ deployment: 'web-1', previousDeployment: 'web-2', updateState: 'rollback_started' }), undefined).kind).toBe('follow');
  });

  it('records a completed Swarm update as live', () => {
    expect(judgeStale(stale, swarm({ updateState: 'completed' }), undefined).kind).toBe('live');
  });

  it('records an update Swarm rolled back as rolled back, or failed when it never reached its health check', () => {
    const rolled = swarm({ deployment: 'web-1', previousDeployment: '', taskDeployments: ['web-1', 'web-2'], updateState: 'rollback_completed', updateMessage: 'unhealthy' });
    expect(judgeStale(stale, rolled, undefined).kind).toBe('rolled-back');
    expect(judgeStale({ ...stale, status: 'starting' }, rolled, undefined).kind).toBe('failed');
  });

  it('interrupts a deployment Swarm never received', () => {
    expect(judgeStale(stale, swarm({ deployment: 'web-1', previousDeployment: 'web-0', updateState: 'completed' }), undefined).kind).toBe('interrupted');
    expect(judgeStale(stale, swarm(null), undefined).kind).toBe('interrupted');
  });

  it('finds an interrupted record serving after all', () => {
    const interrupted = { ...stale, status: 'interrupted' as const };
    expect(servesAfterAll(interrupted, standalone([container({})], ['b0']))).toBe(true);
    expect(servesAfterAll(interrupted, swarm({ updateState: 'completed' }))).toBe(true);
    expect(servesAfterAll(interrupted, swarm({ updateState: 'updating' }))).toBe(false);
  });
});

describe('judging a live record', () => {
  const live = deployment({ id: 'web-1', seq: 1, status: 'live' });

  it('keeps it while its containers run', () => {
    expect(judgeLive(live, standalone([container({ deployment: 'web-1', slot: 'a' })], ['a0']), 's1')).toEqual({ kind: 'serving' });
  });

  it('names the deployment and the Berth that replaced it', () => {
    expect(judgeLive(live, standalone([container({ deployment: 'other-9', owner: 'bob@ci' })], ['b0']), 's1')).toEqual({ kind: 'replaced', by: 'other-9', owner: 'bob@ci' });
    expect(judgeLive(live, swarm({ deployment: 'other-9', owner: 'bob@ci', updateState: 'completed' }), 's1')).toEqual({ kind: 'replaced', by: 'other-9', owner: 'bob@ci' });
  });

  it('steps it down while its containers still drain, once the proxy routes another Berth\'s release', () => {
    const draining = container({ id: 'c0', deployment: 'web-1', slot: 'a' });
    const theirs = container({ deployment: 'other-9', owner: 'bob@ci', slot: 'b' });
    expect(judgeLive(live, standalone([draining, theirs], ['b0']), 's1')).toEqual({ kind: 'replaced', by: 'other-9', owner: 'bob@ci' });
  });

  it('keeps it while its containers run and nothing else is routed', () => {
    expect(judgeLive(live, standalone([container({ deployment: 'web-1', slot: 'a' })]), 's1')).toEqual({ kind: 'serving' });
  });

  it('reports it gone when nothing of the app runs', () => {
    expect(judgeLive(live, standalone([]), 's1').kind).toBe('gone');
    expect(judgeLive(live, swarm(null), 's1').kind).toBe('gone');
  });
});

describe('settling a record', () => {
  it('walks an in-progress record through the phases it had not reached', () => {
    const at = new Date('2026-12-02T10:00:00Z');
    const done = settle(deployment({ status: 'starting' }), 'live', at);
    expect(done.status).toBe('live');
    expect(Object.keys(done.timestamps)).toEqual(['queued', 'health-checking', 'live']);
  });

  it('turns an interrupted record live without inventing phases', () => {
    const done = settle(deployment({ status: 'interrupted', timestamps: { queued: 'x', interrupted: 'y' } }), 'live', new Date());
    expect(Object.keys(done.timestamps)).toEqual(['queued', 'interrupted', 'live']);
  });
});
