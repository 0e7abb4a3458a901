import type { Deployment } from '../../../shared/api/deployments';
import type { Server } from '../../../shared/api/servers';
import { toEnvelope } from '../../../shared/errors';
import { LABEL } from '../deploy/labels';
import { BERTH_NETWORK, PROXY_CONTAINER } from '../proxy/edge-proxy';
import { PROXY_API_PORT } from '../proxy/haproxy-config';
import { HaproxyRuntime } from '../proxy/haproxy-runtime';
import { parseSettingsLabel } from '../proxy/proxy-settings';
import { probeThroughProxy } from '../proxy/route-probe';
import { readServerFacts, type ServerFacts } from '../reconcile/server-facts';
import { dockerCallError } from '../ssh/errors';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import type { AppFact, ContainerExit, HealthFacts, Outcome, ProxyFact, StoppedContainer } from './health-facts';

const CALL_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 5000;

export interface HealthInput {
  server: Server;
  local: boolean;
  apps: readonly string[];
  live: readonly Deployment[];
  /** Apps with a deployment under way, and what it is doing. */
  busy?: ReadonlyMap<string, string>;
  /** Exits of live containers seen by an event follow since the last look, per app. */
  exits?: ReadonlyMap<string, ContainerExit[]>;
}

/** Gathers the facts of one server, part by part, stopping below the first part that does not answer. */
export async function gatherHealthFacts(links: LinkProvider, input: HealthInput): Promise<HealthFacts> {
  const { server } = input;
  const facts: HealthFacts = {
    serverId: server.id,
    serverName: server.name,
    local: input.local,
    ssh: { ok: true },
    mine: server.proxy,
    apps: input.apps.map((app) => ({
      app,
      live: liveOf(input.live.find((d) => d.app === app)),
      busy: input.busy?.get(app) ?? null,
      ...(input.exits?.has(app) ? { exits: input.exits.get(app) } : {}),
    })),
    checkedAt: new Date().toISOString(),
  };
  let link: ServerLink;
  const acquiring = links.acquire(server.id);
  try {
    link = await within(acquiring, 15_000, `${server.name} did not answer over SSH within 15 s.`);
  } catch (error) {
    // a lease that arrives after the timeout is handed back
    acquiring.then(() => links.release(server.id), () => undefined);
    facts.ssh = failed(error);
    return facts;
  }
  try {
    facts.docker = await within(link.docker.ping(), CALL_TIMEOUT_MS, 'Docker did not answer a ping within 10 s.').then(
      (): Outcome => ({ ok: true }),
      (error: unknown) => failed(dockerCallError(error, server.dockerSocket, server.name, server.user)),
    );
    if (!facts.docker.ok) return facts;
    const [proxy, runtime] = await Promise.all([readProxy(link), readServerFacts(link).catch(() => null)]);
    facts.proxy = proxy.fact;
    facts.apps = await Promise.all(facts.apps.map((a) => appFact(link, a, runtime, proxy.address)));
    return facts;
  } finally {
    links.release(server.id);
  }
}

function liveOf(d: Deployment | undefined): AppFact['live'] {
  if (!d) return null;
  const check = d.config.healthCheck;
  return {
    deploymentId: d.id,
    seq: d.seq,
    routed: d.config.httpPort !== null,
    expected: d.config.replicas,
    healthPath: check.kind === 'http' ? check.path : '/',
    memoryMb: d.config.limits.memoryMb ?? null,
  };
}

async function readProxy(link: ServerLink): Promise<{ fact: ProxyFact; address: string | null }> {
  const info = await link.docker
    .getContainer(PROXY_CONTAINER)
    .inspect()
    .catch((error: unknown) => ((error as { statusCode?: number }).statusCode === 404 ? null : Promise.reject(error)));
  if (!info) return { fact: { container: null, api: null }, address: null };
  const container = {
    running: info.State.Running,
    status: info.State.Status,
    exitCode: info.State.ExitCode,
    restartPolicy: info.HostConfig.RestartPolicy?.Name ?? '',
    settings: parseSettingsLabel(info.Config.Labels?.[LABEL.proxySettings]),
  };
  const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress || null;
  if (!container.running || !address) return { fact: { container, api: null }, address: null };
  const runtime = new HaproxyRuntime(() => link.forwardOut(address, PROXY_API_PORT));
  const api = await runtime.command('show info').then(
    (answer): Outcome => (/^Pid:/m.test(answer) ? { ok: true } : { ok: false, error: { code: 'PROXY_FAILED', message: `its runtime API answered "${answer.trim().slice(0, 80)}"` } }),
    (error: unknown) => failed(error),
  );
  return { fact: { container, api }, address: api.ok ? address : null };
}

async function appFact(link: ServerLink, a: AppFact, runtime: ServerFacts | null, proxyAddress: string | null): Promise<AppFact> {
  if (!a.live || !runtime) return a;
  const live = a.live;
  let running: number;
  let other: string | undefined;
  let states: Pick<AppFact, 'stopped' | 'unhealthy' | 'taskError'> = {};
  if (runtime.runtime === 'swarm') {
    const service = runtime.services.find((s) => s.app === a.app);
    running = service?.deployment === live.deploymentId ? service.runningTasks : 0;
    if (service && service.deployment !== live.deploymentId) other = service.deployment;
    if (service?.deployment === live.deploymentId && service.lastTaskError) states = { taskError: service.lastTaskError };
  } else {
    const mine = runtime.containers.filter((c) => c.app === a.app);
    const ofLive = mine.filter((c) => c.deployment === live.deploymentId);
    running = ofLive.filter((c) => c.running).length;
    if (running === 0) other = mine.find((c) => c.running)?.deployment;
    states = await containerStates(link, ofLive.map((c) => c.id));
  }
  const probe =
    live.routed && proxyAddress && running > 0
      ? await probeThroughProxy(link, proxyAddress, a.app, live.healthPath, PROBE_TIMEOUT_MS).catch((error: unknown) => ({ ok: false, detail: toEnvelope(error).message }))
      : null;
  return { ...a, running, ...(other ? { other } : {}), ...states, probe };
}

/** How the live release's containers ended, or that Docker's own health check fails on one that runs. */
async function containerStates(link: ServerLink, ids: string[]): Promise<Pick<AppFact, 'stopped' | 'unhealthy'>> {
  const infos = await Promise.all(ids.map((id) => link.docker.getContainer(id).inspect().catch(() => null)));
  const stopped: StoppedContainer[] = [];
  let unhealthy: AppFact['unhealthy'];
  for (const info of infos) {
    if (!info) continue;
    const name = info.Name.replace(/^\//, '');
    const state = info.State as typeof info.State & { Error?: string };
    if (!state.Running || state.Restarting) {
      stopped.push({ name, exitCode: state.ExitCode, oomKilled: state.OOMKilled, restarting: state.Restarting, error: state.Error ?? '' });
    } else if (state.Health?.Status === 'unhealthy' && !unhealthy) {
      const last = state.Health.Log?.[state.Health.Log.length - 1];
      unhealthy = { name, output: (last?.Output ?? '').trim().slice(0, 160) };
    }
  }
  return { stopped, ...(unhealthy ? { unhealthy } : {}) };
}

function failed(error: unknown): Outcome {
  return { ok: false, error: toEnvelope(error) };
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
