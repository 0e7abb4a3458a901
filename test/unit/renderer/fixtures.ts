import type { App } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';

export function server(id: string, extra: Partial<Server> = {}): Server {
  return {
    id,
    name: id,
    host: '127.0.0.1',
    port: 22,
    user: 'root',
    auth: { kind: 'key', keyPath: '/k' },
    dockerSocket: '/var/run/docker.sock',
    color: '#4f7cff',
    proxy: { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' },
    builtin: false,
    createdAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

const runtime = {
  httpPort: 8080,
  published: [],
  volumes: [],
  limits: {},
  restart: 'unless-stopped' as const,
  replicas: 1,
  command: null,
  healthCheck: { kind: 'http' as const, path: '/health', intervalMs: 2000, timeoutMs: 3000, retries: 15, startPeriodMs: 0 },
  domains: [],
  labels: {},
};

export function app(name: string, serverId = 's1', extra: Partial<App> = {}): App {
  return {
    serverId,
    name,
    source: { kind: 'folder', path: '/src' },
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false },
    runtime: { ...runtime, env: [] },
    retention: {},
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

export function deployment(seq: number, extra: Partial<Deployment> = {}): Deployment {
  return {
    id: `d${seq}`,
    serverId: 's1',
    app: 'shop',
    seq,
    kind: 'deploy',
    trigger: 'user',
    title: `Change ${seq}`,
    description: '',
    status: 'superseded',
    error: null,
    note: null,
    timestamps: { queued: '2026-11-25T10:00:00.000Z', building: '2026-11-25T10:00:01.000Z', live: '2026-11-25T10:00:40.000Z' },
    finishedAt: '2026-11-25T10:00:41.000Z',
    runtime: 'standalone',
    source: { source: { kind: 'folder', path: '/src' }, commit: null },
    build: null,
    config: { ...runtime, env: [] },
    retention: {},
    image: { tag: `shop:${seq}`, id: `sha256:${String(seq).padStart(64, 'a')}`, digest: null },
    slot: 'a',
    containers: [],
    switch: null,
    logPath: '/logs',
    rolledBackFrom: null,
    target: null,
    supersededBy: null,
    ...extra,
  };
}
