import type { App } from '../../../shared/api/apps';
import type { Deployment } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { EventBus } from '../../../electron/core/events/event-bus';
import { capabilityOf, withCapability } from '../../../electron/core/rollback/capability';
import { diffEnv, diffFields, notUndone, secretsKept, unchangedFields } from '../../../electron/core/rollback/rollback-plan';
import { Dispatcher, type Handlers } from '../../../electron/core/rpc/dispatcher';

/**
 * A made-up engine for views that need volumes no test server produces quickly (a thousand deployments, a log of a
 * million lines). It answers through the real dispatcher, so every value is checked by the contract's schemas, and
 * the renderer reaches it through the real bridge. Only the view tests and bench/ui.ts use it.
 */
export interface StubOptions {
  deployments?: number;
  logLines?: number;
}

/** A record as the engine lists it: with its capability, every image here being on the server. */
const checked = (d: Deployment): Deployment => withCapability(d, capabilityOf(d, { onServer: true, located: null }));

const T0 = Date.parse('2026-11-25T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const runtime = {
  httpPort: 8080,
  published: [],
  volumes: [{ source: 'shop-data', target: '/data', readOnly: false }],
  limits: { memoryMb: 512 },
  restart: 'unless-stopped' as const,
  replicas: 1,
  command: null,
  healthCheck: { kind: 'http' as const, path: '/health', intervalMs: 2000, timeoutMs: 3000, retries: 15, startPeriodMs: 0 },
  domains: ['shop.example.com'],
  labels: {},
};

const servers: Server[] = [
  { id: 'prod-eu', name: 'prod-eu', host: '203.0.113.7', port: 22, user: 'deploy', auth: { kind: 'agent' }, dockerSocket: '/var/run/docker.sock', color: '#4f7cff', proxy: { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' }, builtin: false, createdAt: iso(T0) },
  { id: 'staging', name: 'staging', host: '203.0.113.8', port: 22, user: 'deploy', auth: { kind: 'agent' }, dockerSocket: '/var/run/docker.sock', color: '#2bb3a3', proxy: { httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' }, builtin: false, createdAt: iso(T0) },
];

function app(serverId: string, name: string): App {
  return {
    serverId,
    name,
    // docs runs a published image that moves with each release of the docs site
    source: name === 'docs' ? { kind: 'image', image: 'ghcr.io/acme/docs:latest', pull: 'always' } : { kind: 'git', url: `git@github.com:acme/${name}.git`, ref: 'main' },
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false },
    runtime: {
      ...runtime,
      limits: { memoryMb: 256 },
      env: [
        { key: 'DATABASE_POOL', value: '5', secret: false },
        { key: 'LEGACY_MODE', value: null, secret: true },
        { key: 'NODE_ENV', value: 'production', secret: false },
      ],
    },
    retention: { keepLast: 50 },
    createdAt: iso(T0),
    updatedAt: iso(T0),
  };
}

/** A preview of shop-api as the engine derives it: the app on a branch, at its own host name. */
function preview(ref: string, slug: string): App {
  const base = app('prod-eu', `shop-api-${slug}`);
  return { ...base, source: { kind: 'git', url: 'git@github.com:acme/shop-api.git', ref }, runtime: { ...base.runtime, volumes: [], domains: [`${slug}.shop.example.com`] }, previewOf: { app: 'shop-api', ref } };
}

const titles = ['Fix checkout rounding', 'Bump deps', 'Add search', 'Pin node 20', 'Tune pool size', 'Cache product pages', 'Log slow queries'];

function deployment(serverId: string, appName: string, seq: number, total: number, now: number): Deployment {
  const started = now - (total - seq) * 3_600_000 - 120_000;
  const latest = seq === total;
  const failed = seq % 17 === 0;
  const rolledBack = !failed && seq % 23 === 0;
  const rollback = !failed && !rolledBack && seq % 11 === 0;
  const status = latest ? 'live' : failed ? 'failed' : rolledBack ? 'rolled-back' : 'superseded';
  const wentLive = status === 'live' || status === 'superseded';
  const hash = (seq * 2654435761).toString(16).padStart(8, '0').slice(-7);
  return {
    id: `${appName}-${seq}`,
    serverId,
    app: appName,
    seq,
    kind: rollback ? 'rollback' : 'deploy',
    trigger: 'user',
    title: rollback ? `Rollback to #${seq - 2}` : titles[seq % titles.length]!,
    description: '',
    status,
    error: failed
      ? { code: 'BUILD_FAILED', message: 'Step 4/7 RUN npm ci failed: npm ERR! network timeout.' }
      : rolledBack
        ? { code: 'HEALTH_CHECK_FAILED', message: 'GET /health answered 500 fifteen times; traffic stayed on the previous release.' }
        : null,
    note: null,
    timestamps: {
      queued: iso(started),
      building: iso(started + 400),
      ...(failed ? { failed: iso(started + 21_000) } : { starting: iso(started + 38_000), 'health-checking': iso(started + 38_600) }),
      ...(wentLive ? { live: iso(started + 40_800) } : {}),
      ...(rolledBack ? { 'rolled-back': iso(started + 70_000) } : {}),
      ...(status === 'superseded' ? { superseded: iso(started + 3_600_000) } : {}),
    },
    finishedAt: iso(started + (failed ? 21_000 : rolledBack ? 70_000 : 40_800)),
    runtime: 'standalone',
    source: { source: { kind: 'git', url: `git@github.com:acme/${appName}.git`, ref: 'main' }, commit: { hash: `${hash}e5f9a0b1c2d3`, message: titles[seq % titles.length]! } },
    build: { dockerfile: 'Dockerfile', context: '.', args: {}, clean: false },
    config: {
      ...runtime,
      limits: { memoryMb: seq % 2 ? 512 : 256 },
      env: [
        { key: 'DATABASE_POOL', value: String(seq % 3 ? 10 : 5), secret: false },
        { key: 'FEATURE_X', value: 'on', secret: false },
        { key: 'NODE_ENV', value: 'production', secret: false },
      ],
    },
    retention: {},
    image: failed ? null : { tag: `${appName}:${seq}`, id: `sha256:${(seq * 40503).toString(16).padStart(12, '0')}${'c41e9f2b7a'.repeat(5)}`.slice(0, 71), digest: null },
    slot: seq % 2 ? 'a' : 'b',
    containers: [],
    switch: wentLive ? { mode: 'proxy', startedAt: iso(started + 40_790), durationMs: 11, gapMs: 0 } : null,
    logPath: `/logs/${seq}.log`,
    rolledBackFrom: null,
    target: rollback ? `${appName}-${seq - 2}` : null,
    supersededBy: null,
  };
}

const level = ['\x1b[32mINFO\x1b[0m', '\x1b[32mINFO\x1b[0m', '\x1b[33mWARN\x1b[0m', '\x1b[32mINFO\x1b[0m', '\x1b[1;31mERROR\x1b[0m'];

/** Line n of the made-up build log (computed, so a million lines cost no memory here). */
export function logLine(n: number): string {
  if (n % 1000 === 1) return `\x1b[1;36mStep ${Math.ceil(n / 1000)}/${'∞'}\x1b[0m : RUN npm run build -- --chunk ${n}`;
  return `${level[n % level.length]} worker[${n % 7}] request ${n} handled in ${(n * 7) % 97} ms path=/api/items/${n % 313}`;
}

export function createStubEngine(options: StubOptions = {}) {
  const total = options.deployments ?? 1000;
  const logLines = options.logLines ?? 2000;
  const now = Date.now();
  const previews = [preview('feature/login', 'feature-login'), preview('refs/pull/12/head', 'pr-12')];
  const apps = [app('prod-eu', 'shop-api'), app('prod-eu', 'worker'), app('prod-eu', 'docs'), ...previews];
  const lengthOf = (a: App) => (a.previewOf ? 2 : total);
  const history = new Map(apps.map((a) => [a.name, Array.from({ length: lengthOf(a) }, (_, i) => deployment('prod-eu', a.name, lengthOf(a) - i, lengthOf(a), now))]));
  const find = (id: string) => [...history.values()].flat().find((d) => d.id === id);
  const status = (serverId: string) => ({ serverId, state: 'connected' as const, since: iso(now - 3_600_000) });
  const notHere = async (): Promise<never> => {
    throw new BerthError('INTERNAL', 'Not part of the stub engine.');
  };

  const handlers = {
    'servers.list': async () => servers,
    'servers.status': async () => servers.map((s) => status(s.id)),
    'hostKeys.pending': async () => [],
    'servers.connect': async ({ serverId }) => status(serverId),
    'servers.overview': async ({ serverId }) => ({
      serverId,
      status: status(serverId),
      docker: {
        version: '27.3.1', apiVersion: '1.47', daemonId: 'X', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-26-amd64', arch: 'x86_64',
        cpus: 4, memoryBytes: 8 * 1024 ** 3, dockerRootDir: '/var/lib/docker', disk: { freeBytes: 7.5 * 1024 ** 3, totalBytes: 80 * 1024 ** 3 },
        swarm: 'inactive', swarmManager: false, containers: { total: 9, running: 7, stopped: 2, paused: 0 }, images: 41,
      },
      refreshedAt: iso(now),
    }),
    'servers.health': async ({ serverId }) => {
      const server = servers.find((x) => x.id === serverId)!;
      const ok = (detail: string) => ({ state: 'ok' as const, detail });
      const live = [...history.values()].flat().filter((d) => d.serverId === serverId && d.status === 'live');
      return {
        serverId,
        ok: true,
        ssh: ok('connected'),
        docker: ok('answers (ping through the link)'),
        proxy: ok(`running and answering (${server.proxy.image}, ${server.proxy.bindAddress}:${server.proxy.httpPort})`),
        proxySettings: { onServer: server.proxy, mine: server.proxy, differs: [] },
        apps: live.map((d) => ({ ...ok(`#${d.seq}: 1/1 running, answers through the edge proxy (GET /health → 200)`), app: d.app, deploymentId: d.id, seq: d.seq, running: 1, expected: 1 })),
        checkedAt: iso(now),
      };
    },
    'apps.list': async ({ serverId }) => (serverId === 'prod-eu' ? apps : []),
    'autoDeploy.get': async ({ serverId, app: name }) => ({
      serverId,
      app: name,
      settings: name === 'shop-api' ? { watch: { kind: 'branch' as const, branch: 'main' }, intervalSec: 60, from: 'server' as const } : null,
      paused: false,
      lastCheckAt: name === 'shop-api' ? iso(now - 40_000) : null,
      lastSeen: name === 'shop-api' ? { ref: 'main', hash: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0' } : null,
      lastDeployment: null,
      lastError: null,
    }),
    'previews.list': async ({ serverId, app: name }) =>
      apps
        .filter((a) => a.serverId === serverId && a.previewOf?.app === name)
        .map((p) => {
          const latest = history.get(p.name)?.[0];
          return { serverId, name: p.name, app: name, ref: p.previewOf?.ref ?? '', domains: p.runtime.domains, latest: latest ? { seq: latest.seq, status: latest.status, title: latest.title } : null, createdAt: iso(now - 7_200_000) };
        }),
    // the worker's container was OOM-killed: the sidebar marks it down, as the watch would
    'uptime.list': async () => [
      { serverId: 'prod-eu', app: 'worker', deploymentId: null, seq: null, state: 'down' as const, reason: 'OOM-killed (memory limit 256 MB)', detail: 'none of its 1 container(s) or task(s) runs (OOM-killed (memory limit 256 MB))', since: iso(now - 120_000), checkedAt: iso(now) },
    ],
    'deployments.list': async ({ app: name, limit, before }) => {
      const list = name ? (history.get(name) ?? []) : [...history.values()].flat().sort((a, b) => b.seq - a.seq);
      return list
        .filter((d) => before === undefined || d.seq < before)
        .slice(0, limit)
        .map(checked);
    },
    'deployments.live': async ({ app: name }) => [...history.entries()].filter(([n]) => name === undefined || n === name).flatMap(([, list]) => list.filter((d) => d.status === 'live')),
    'deployments.get': async ({ deploymentId }) => {
      const d = find(deploymentId);
      if (!d) throw new BerthError('DEPLOYMENT_NOT_FOUND', `No deployment ${deploymentId}.`);
      return checked(d);
    },
    'deployments.queue': async () => [],
    'logs.deployment': async ({ fromLine, limit }) => {
      const last = Math.min(logLines, fromLine + limit - 1);
      const lines = [];
      for (let n = fromLine; n <= last; n++) lines.push({ n, at: iso(now - (logLines - n) * 10), stream: 'out' as const, text: logLine(n) });
      return { lines, nextLine: last + 1, eof: last >= logLines };
    },
    'deployments.rollbackPlan': async ({ serverId, app: name, target, mode }) => {
      const list = history.get(name) ?? [];
      const to = list.find((d) => d.id === target || d.seq === Number(target));
      const live = list.find((d) => d.status === 'live');
      if (!to) throw new BerthError('DEPLOYMENT_NOT_FOUND', `No deployment ${String(target)}.`);
      const next = mode === 'redeploy' ? apps.find((a) => a.name === name)!.runtime : to.config;
      // the stub's values are plain text: what the engine compares after opening sealed ones
      const opened = (env: ReadonlyArray<{ key: string; value: string | null; secret: boolean }>) => env.map((v) => ({ key: v.key, secret: v.secret, value: v.value ?? '' }));
      const envNow = opened(live?.config.env ?? []);
      const envNext = opened(next.env);
      const capable = to.image !== null && to.timestamps.live !== undefined;
      await new Promise((resolve) => setTimeout(resolve, mode === 'redeploy' ? 150 : 50));
      return {
        serverId, app: name, mode,
        target: { id: to.id, seq: to.seq, title: to.title, status: to.status },
        live: live ? { id: live.id, seq: live.seq } : null,
        capable,
        reason: capable ? `The image of #${to.seq} is on the server.` : `#${to.seq} never went live.`,
        via: capable ? ('server' as const) : null,
        refusal: capable ? null : { code: 'NOT_ROLLBACK_CAPABLE' as const, message: `#${to.seq} never went live.` },
        image: { from: live?.image ?? null, to: to.image, changed: live?.image?.id !== to.image?.id },
        env: diffEnv(envNow, envNext),
        changes: diffFields(live?.config ?? null, next),
        unchanged: unchangedFields(live?.config ?? null, next),
        secretsKept: secretsKept(envNow, envNext),
        notUndone: notUndone(next, to.seq),
        warnings: [],
      };
    },
    'deployments.note': async ({ deploymentId, text }) => {
      const d = find(deploymentId);
      if (!d) throw new BerthError('DEPLOYMENT_NOT_FOUND', `No deployment ${deploymentId}.`);
      const { releaseNote: _old, ...rest } = d;
      const noted: Deployment = text === '' ? rest : { ...rest, releaseNote: { text, at: iso(now), by: 'ana@laptop' } };
      const list = history.get(d.app) ?? [];
      list[list.indexOf(d)] = noted;
      return checked(noted);
    },
    'rollback.settings': async () => ({ keepLast: 5, watchMs: 60_000, watchFailures: 3, autoRollback: true, cacheOnLaptop: false, registry: { url: 'registry.example.com/acme', username: 'deploy', passwordSet: true } }),
    'logs.followApp': async () => ({ followId: 'f1', containers: ['shop-api-a'] }),
    'logs.unfollow': async () => ({ stopped: true }),
  } as Partial<Handlers>;

  const full = new Proxy(handlers, { get: (target, key: string) => target[key as keyof Handlers] ?? notHere }) as Handlers;
  return { dispatcher: new Dispatcher(full), bus: new EventBus() };
}
