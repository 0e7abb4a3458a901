import { App } from '../../../shared/api/apps';
import { Deployment } from '../../../shared/api/deployments';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

const runtime = {
  httpPort: 8080,
  published: [],
  volumes: [],
  limits: {},
  restart: 'unless-stopped' as const,
  replicas: 1,
  command: null,
  healthCheck: { kind: 'http' as const, path: '/health', intervalMs: 1000, timeoutMs: 3000, retries: 15, startPeriodMs: 0 },
  domains: ['web.example.com'],
  labels: {},
};

/** A valid App (parsed by the contract's schema, so a fixture can never drift from it). */
export function app(extra: Partial<App> = {}): App {
  return App.parse({
    serverId: 's1',
    name: 'web',
    source: { kind: 'folder', path: '/src/web' },
    build: { dockerfile: 'Dockerfile', context: '.', args: { VERSION: 'v1' }, clean: false },
    runtime: { ...runtime, env: [{ key: 'GREETING', value: 'hi', secret: false }, { key: 'TOKEN', value: null, secret: true }] },
    retention: {},
    createdAt: at(0),
    updatedAt: at(0),
    ...extra,
  });
}

/** A deployment that went live at seq*60 s and was superseded, unless told otherwise. */
export function deployment(seq: number, extra: Partial<Deployment> = {}): Deployment {
  return Deployment.parse({
    id: `web-${seq}-abc`,
    serverId: 's1',
    app: 'web',
    seq,
    kind: 'deploy',
    trigger: 'cli',
    title: `Change ${seq}`,
    description: '',
    status: 'superseded',
    error: null,
    note: null,
    timestamps: { queued: at(seq * 60), building: at(seq * 60 + 1), starting: at(seq * 60 + 10), 'health-checking': at(seq * 60 + 11), live: at(seq * 60 + 12) },
    finishedAt: at(seq * 60 + 12),
    runtime: 'standalone',
    source: { source: { kind: 'folder', path: '/src/web' }, commit: null },
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false },
    config: { ...runtime, env: [{ key: 'GREETING', value: 'hi', secret: false }] },
    image: { tag: `web:${seq}`, id: `sha256:${String(seq).repeat(64).slice(0, 64)}`, digest: null },
    slot: 'a',
    containers: [`web-${seq}-0`],
    switch: null,
    logPath: `/home/servers/s1/logs/web-${seq}-abc.log`,
    ...extra,
  });
}

/** A deployment that never went live: failed in its build. */
export function failedBuild(seq: number): Deployment {
  return deployment(seq, {
    status: 'failed',
    error: { code: 'BUILD_FAILED', message: 'The build failed.' },
    timestamps: { queued: at(seq * 60), building: at(seq * 60 + 1), failed: at(seq * 60 + 5) },
    finishedAt: at(seq * 60 + 5),
    image: null,
  });
}
