import type { Deployment, RuntimeSnapshot } from '../../../shared/api/deployments';

export function runtimeSnapshot(over: Partial<RuntimeSnapshot> = {}): RuntimeSnapshot {
  return {
    httpPort: 8080,
    published: [],
    volumes: [],
    limits: {},
    restart: 'unless-stopped',
    replicas: 1,
    command: null,
    healthCheck: { kind: 'http', path: '/health', intervalMs: 500, timeoutMs: 2000, retries: 3, startPeriodMs: 0 },
    domains: [],
    labels: {},
    env: [],
    ...over,
  };
}

export function deployment(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 'web-1-aaaaaa', serverId: 's1', app: 'web', seq: 1, kind: 'deploy', trigger: 'user', title: '', description: '',
    status: 'queued', error: null, note: null, timestamps: { queued: '2026-01-01T00:00:00.000Z' }, finishedAt: null, runtime: null,
    source: { source: { kind: 'image', image: 'a', pull: 'missing' }, commit: null }, build: null, config: runtimeSnapshot(), retention: {},
    image: null, slot: null, containers: [], switch: null, logPath: '/tmp/none.log', rolledBackFrom: null, target: null, supersededBy: null,
    ...over,
  };
}
