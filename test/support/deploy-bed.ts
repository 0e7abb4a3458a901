/**
 * A whole engine (the real one: createEngine, its ConnectionPool over sshd) on a fresh BERTH_HOME, with the two
 * sandbox servers added and their host keys trusted, plus the tools the deploy tests share: calls through the
 * dispatcher, waiting for a deployment's status, HTTP through the edge proxy and a steady request loop.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventData, Input, Method, Output, Topic } from '../../shared/api';
import type { Deployment, DeploymentStatus } from '../../shared/api/deployments';
import { BerthError } from '../../shared/errors';
import { createEngine, type Engine, type EngineOptions } from '../../electron/core/engine';
import type { CallContext } from '../../electron/core/rpc/dispatcher';
import { loadSandbox, type SandboxServerName } from './sandbox';

const run = promisify(execFile);

/** Each sandbox server's edge proxy gets its own port on this machine's loopback (both daemons share the host). */
export const PROXY_PORTS: Record<SandboxServerName, number> = { s1: 18081, s2: 18082 };

export interface DeployBed {
  engine: Engine;
  home: string;
  /** Server ids by sandbox name. */
  servers: Record<SandboxServerName, string>;
  call<M extends Method>(method: M, input: Input<M>, ctx?: Partial<CallContext>): Promise<Output<M>>;
  events<T extends Topic>(topic: T): Array<EventData<T>>;
  waitFor(serverId: string, deploymentId: string, statuses: DeploymentStatus[], timeoutMs?: number): Promise<Deployment>;
  close(): Promise<void>;
}

/** A known_hosts file naming both sandbox servers, so the engine trusts them without a prompt. */
export function writeKnownHosts(dir: string): string {
  const lines = loadSandbox().servers.map((s) => {
    const [type, key] = readFileSync(s.hostPublicKeyPath, 'utf8').trim().split(/\s+/);
    return `[${s.host}]:${s.port} ${type} ${key}`;
  });
  const path = join(dir, 'known_hosts');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Prepares a home with both sandbox servers defined; returns it with their ids (no engine is started). */
export async function prepareHome(home = mkdtempSync(join(tmpdir(), 'berth-deploy-'))): Promise<{ home: string; knownHosts: string }> {
  const knownHosts = writeKnownHosts(home);
  return { home, knownHosts };
}

export async function createDeployBed(existingHome?: string, options: Omit<EngineOptions, 'home'> = {}): Promise<DeployBed> {
  const { home, knownHosts } = await prepareHome(existingHome);
  process.env.BERTH_KNOWN_HOSTS = knownHosts;
  const engine = createEngine({ ...options, home });
  // the last events per topic, for assertions; log lines are left out (a follow can send millions)
  const seen = new Map<Topic, unknown[]>();
  engine.bus.onAny((topic, data) => {
    if (topic === 'logs.lines' || topic === 'deployments.log') return;
    const list = seen.get(topic) ?? [];
    list.push(data);
    if (list.length > 1000) list.shift();
    seen.set(topic, list);
  });
  const controller = new AbortController();

  const call = async <M extends Method>(method: M, input: Input<M>, ctx: Partial<CallContext> = {}): Promise<Output<M>> => {
    const outcome = await engine.dispatcher.call(method, input, {
      clientId: 'test',
      signal: controller.signal,
      emit: (topic, data) => engine.bus.emit(topic, data),
      ...ctx,
    });
    if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
    return outcome.value as Output<M>;
  };

  const servers = {} as Record<SandboxServerName, string>;
  const existing = await call('servers.list', {});
  for (const s of loadSandbox().servers) {
    const name = `sandbox-${s.name}`;
    const found = existing.find((e) => e.name === name);
    servers[s.name] =
      found?.id ??
      (
        await call('servers.add', {
          name,
          host: s.host,
          port: s.port,
          user: s.user,
          auth: { kind: 'key', keyPath: s.keyPath },
          dockerSocket: s.dockerSocket,
          proxy: { httpPort: PROXY_PORTS[s.name], image: loadSandbox().images.haproxy, bindAddress: '127.0.0.1' },
        })
      ).id;
  }

  return {
    engine,
    home,
    servers,
    call,
    events: <T extends Topic>(topic: T) => (seen.get(topic) ?? []) as Array<EventData<T>>,
    async waitFor(serverId, deploymentId, statuses, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await call('deployments.get', { serverId, deploymentId });
        if (statuses.includes(d.status)) return d;
        if (Date.now() > deadline) throw new Error(`deployment ${deploymentId} is ${d.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      controller.abort();
      await engine.close();
    },
  };
}

/** A short unique prefix for everything one test file creates. */
export function uniquePrefix(tag: string): string {
  return `t${tag}${Date.now().toString(36).slice(-4)}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET through a server's edge proxy, with the app's host name. */
export function httpGet(port: number, host: string, path = '/', agent?: http.Agent): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host }, agent: agent ?? false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export interface LoadStats {
  ok: number;
  failed: number;
  /** Body → count (the versions that answered). */
  bodies: Record<string, number>;
  errors: string[];
}

/**
 * Steady requests through the proxy from a few concurrent loops (half with keep-alive), until stopped or until
 * `maxMs` passes (bounded, so a broken test cannot loop forever). Any non-200 or network error counts as failed.
 */
export function startLoad(port: number, host: string, options: { loops?: number; maxMs?: number } = {}): { stop(): Promise<LoadStats>; stats: LoadStats } {
  const stats: LoadStats = { ok: 0, failed: 0, bodies: {}, errors: [] };
  const deadline = Date.now() + (options.maxMs ?? 120_000);
  let running = true;
  const loops = Array.from({ length: options.loops ?? 4 }, async (_, i) => {
    const agent = i % 2 === 0 ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : undefined;
    while (running && Date.now() < deadline) {
      try {
        const answer = await httpGet(port, host, '/', agent);
        if (answer.status === 200) {
          stats.ok++;
          const body = answer.body.trim();
          stats.bodies[body] = (stats.bodies[body] ?? 0) + 1;
        } else {
          stats.failed++;
          if (stats.errors.length < 20) stats.errors.push(`HTTP ${answer.status}: ${answer.body.slice(0, 80)}`);
        }
      } catch (error) {
        stats.failed++;
        if (stats.errors.length < 20) stats.errors.push((error as Error).message);
      }
    }
    agent?.destroy();
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}

/** The sandbox daemon's own CLI (the Debian one, matching the 20.10 daemon), for setup and cleanup only. */
export async function docker(server: SandboxServerName, args: string[]): Promise<string> {
  const s = loadSandbox().servers.find((x) => x.name === server);
  if (!s) throw new Error(`no sandbox server ${server}`);
  const { stdout } = await run('/usr/bin/docker', args, { env: { ...process.env, DOCKER_HOST: s.dockerHost, DOCKER_BUILDKIT: '0' }, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Removes every container, service and image whose name starts with the prefix (proxy routes go with apps.remove). */
export async function removeByPrefix(server: SandboxServerName, prefix: string): Promise<void> {
  const swarm = loadSandbox().servers.find((s) => s.name === server)?.swarm ?? false;
  if (swarm) {
    const services = (await docker(server, ['service', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => n.startsWith(prefix));
    if (services.length > 0) await docker(server, ['service', 'rm', ...services]).catch(() => '');
  }
  const containers = (await docker(server, ['ps', '-a', '--format', '{{.ID}} {{.Names}}']))
    .split('\n')
    .filter((l) => l.split(' ')[1]?.startsWith(prefix))
    .map((l) => l.split(' ')[0] ?? '');
  if (containers.length > 0) await docker(server, ['rm', '-f', ...containers]).catch(() => '');
  const images = (await docker(server, ['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').filter((n) => n.startsWith(prefix));
  if (images.length > 0) await docker(server, ['rmi', '-f', ...images]).catch(() => '');
}

/** A suite's teardown: its app removed through the engine (routes included), the engine closed, leftovers cleared. */
export async function tearDownApp(bed: DeployBed | undefined, server: SandboxServerName, app: string, prefix: string): Promise<void> {
  await bed?.call('apps.remove', { serverId: bed.servers[server], name: app }).catch(() => undefined);
  await bed?.close();
  await removeByPrefix(server, prefix);
}

/** Runs a shell command on a sandbox server through the engine's own link, as the user's server is reached. */
export async function runOnServer(engine: Engine, serverId: string, command: string): Promise<string> {
  const link = await engine.pool.acquire(serverId);
  try {
    const result = await link.exec(command, { timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`${command} failed (${result.code}): ${result.stderr}`);
    return result.stdout.trim();
  } finally {
    engine.pool.release(serverId);
  }
}

/**
 * A fresh folder on a sandbox server holding a bare repository `repo.git` and, in `work`, a new clone on branch main
 * with the web-app fixture copied in, not yet committed: what the git-source tests push their commits from.
 */
export async function webAppRepoOnServer(engine: Engine, serverId: string, prefix: string): Promise<string> {
  const dir = await runOnServer(engine, serverId, `mktemp -d /tmp/${prefix}-repo-XXXXXX`);
  await runOnServer(engine, serverId, [`cd ${dir}`, 'git init --quiet --bare repo.git', 'git init --quiet -b main work', `cp -r ${loadSandbox().fixtures.webApp}/. work/`].join(' && '));
  return dir;
}
