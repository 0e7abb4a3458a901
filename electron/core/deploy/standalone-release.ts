import type Docker from 'dockerode';
import type { SwitchInfo } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { BERTH_NETWORK, EdgeProxy } from '../proxy/edge-proxy';
import { backendName, slotStateOf } from '../proxy/haproxy-config';
import { slotServerName } from '../proxy/proxy-model';
import { switchSlots } from '../proxy/slot-switch';
import { containerSpec } from './container-spec';
import { asBerthError, ensureNetwork, isNotFound } from './docker-util';
import { waitHealthy, type ProbeTarget } from './health-probe';
import { LABEL, labelFilter } from './labels';
import type { ReleaseOutcome, ReleaseRun } from './release-run';
import { planSlots } from './slot-plan';

const UP_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_S = 10;

/**
 * Runs a release on a plain Docker engine behind the edge proxy: the new containers start in the free slot, Berth
 * probes them through the link, traffic moves to them through HAProxy's runtime API, and only then are the old ones
 * drained and stopped. Any failure before the switch removes the new containers and leaves the live ones serving.
 */
export async function runStandaloneRelease(run: ReleaseRun): Promise<ReleaseOutcome> {
  const docker = run.link.docker;
  await run.phase('starting');
  const image = await resolveImage(docker, run.image);
  const routed = run.config.httpPort !== null;
  const proxy = new EdgeProxy(run.link, run.proxy, false);
  // apps off the proxy still join the Berth network (their neighbours reach them by name)
  if (routed) await proxy.ensure();
  else await ensureNetwork(docker, BERTH_NETWORK, { driver: 'bridge', labels: { [LABEL.managed]: 'true' } });
  const existing = await appContainers(docker, run.app);
  const liveSlot = await findLiveSlot(proxy, run.app, existing, routed);
  const { slot, old, leftovers, stopFirst } = planSlots({ app: run.app, existing, liveSlot, publishedPorts: run.config.published.length, replicas: run.config.replicas });
  for (const c of leftovers) await removeContainer(docker, c.Id);

  let stoppedAt: number | null = null;
  if (stopFirst) {
    run.log.info('The app publishes ports on the server, which two containers cannot share: stopping the old version first.');
    if (routed) await setSlot(proxy, run.app, liveSlot, old.length, 'maint');
    for (const c of old) await docker.getContainer(c.Id).stop({ t: STOP_TIMEOUT_S }).catch(() => undefined);
    stoppedAt = Date.now();
  }

  const created: string[] = [];
  let switched: SwitchInfo;
  try {
    for (let replica = 0; replica < run.config.replicas; replica++) {
      const spec = containerSpec(run, run.config, { image, slot, replica }, run.env);
      await removeByName(docker, spec.name ?? '');
      const container = await docker.createContainer(spec).catch((error: unknown) => {
        throw asBerthError(error, 'START_FAILED', `Could not create ${spec.name}`);
      });
      created.push(container.id);
      await container.start().catch((error: unknown) => {
        throw asBerthError(error, 'START_FAILED', `Could not start ${spec.name}`);
      });
      run.log.info(`Started ${spec.name} (${container.id.slice(0, 12)}) in slot ${slot}`);
    }
    await run.started({ slot, containers: created });
    if (routed) await proxy.sync();

    await run.phase('health-checking');
    const probePort = run.config.httpPort ?? run.config.published[0]?.container ?? null;
    const targets = await Promise.all(created.map((id) => probeTarget(docker, id, probePort)));
    await Promise.all(
      targets.map((target) =>
        waitHealthy(run.link, target, run.config.healthCheck, {
          signal: run.signal,
          onProbe: (t, result, attempt) => {
            run.probed?.(result);
            if (result.ok || attempt === 1 || attempt % 5 === 0) run.log.info(`Health ${t.name}: ${result.ok ? 'healthy' : 'not yet'} (${result.detail})`);
          },
        }),
      ),
    );
    if (run.signal.aborted) throw new BerthError('CANCELLED', 'Cancelled before traffic moved to the new version.');

    if (routed) {
      const next = created.map((_, i) => slotServerName(slot, i));
      const previous = stopFirst || liveSlot === null ? [] : old.map((c) => slotServerName(liveSlot, Number(c.Labels[LABEL.replica] ?? 0)));
      switched = await switchSlots(proxy, run.app, next, previous, { upTimeoutMs: UP_TIMEOUT_MS, drainTimeoutMs: DRAIN_TIMEOUT_MS, signal: run.signal });
    } else {
      switched = { mode: 'proxy', startedAt: new Date().toISOString(), durationMs: 0, gapMs: 0 };
    }
    if (stoppedAt !== null) switched = { ...switched, mode: 'stop-first', gapMs: Date.now() - stoppedAt };
    run.log.info(`Traffic moved to slot ${slot} in ${switched.durationMs} ms (gap ${switched.gapMs} ms)`);
  } catch (error) {
    for (const id of created) await removeContainer(docker, id);
    if (stopFirst) {
      run.log.info('Starting the previous version again.');
      for (const c of old) await docker.getContainer(c.Id).start().catch(() => undefined);
      if (routed) await setSlot(proxy, run.app, liveSlot, old.length, 'ready').catch(() => undefined);
    }
    if (routed) await proxy.persist().catch(() => undefined);
    throw error;
  }

  const retire = async (): Promise<void> => {
    await Promise.all(
      old.map(async (c) => {
        await docker.getContainer(c.Id).stop({ t: STOP_TIMEOUT_S }).catch(() => undefined);
        await removeContainer(docker, c.Id);
      }),
    );
    if (old.length > 0) run.log.info(`Stopped the previous version (${old.map((c) => c.Names[0]?.replace(/^\//, '')).join(', ')})`);
    if (routed) await proxy.persist();
  };
  return {
    retire,
    runtime: 'standalone',
    slot,
    containers: created,
    switch: switched,
    replaced: [...new Set(old.map((c) => c.Labels[LABEL.deployment]).filter((d): d is string => !!d))],
  };
}

/** The image to run: its tag when the tag still names the recorded image, else the image ID itself. */
async function resolveImage(docker: Docker, image: { tag: string; id: string }): Promise<string> {
  const byTag = await docker.getImage(image.tag).inspect().catch(() => null);
  if (byTag?.Id === image.id) return image.tag;
  const byId = await docker.getImage(image.id).inspect().catch(() => null);
  if (byId) return image.id;
  throw new BerthError('IMAGE_GONE', `The image ${image.tag} (${image.id.slice(7, 19)}) is no longer on the server.`, { image: image.id });
}

export async function appContainers(docker: Docker, app: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: labelFilter({ [LABEL.app]: app, [LABEL.role]: 'app' }) } });
}

/** The slot whose running containers the proxy routes to (or, unrouted, that simply runs). */
async function findLiveSlot(proxy: EdgeProxy, app: string, containers: Docker.ContainerInfo[], routed: boolean): Promise<string | null> {
  const running = containers.filter((c) => c.State === 'running');
  if (running.length === 0) return null;
  if (routed) {
    const rows = await proxy.runtime.serversState(backendName(app)).catch(() => []);
    for (const c of running) {
      const slot = c.Labels[LABEL.slot] ?? '';
      const row = rows.find((r) => r.server === slotServerName(slot, Number(c.Labels[LABEL.replica] ?? 0)));
      if (row && slotStateOf(row) === 'ready') return slot;
    }
  }
  // nothing routed: the newest running container's slot stands for the live one
  const newest = [...running].sort((a, b) => b.Created - a.Created)[0];
  return newest?.Labels[LABEL.slot] ?? null;
}

async function setSlot(proxy: EdgeProxy, app: string, slot: string | null, replicas: number, state: 'ready' | 'maint'): Promise<void> {
  if (slot === null) return;
  await proxy.withLock(async () => {
    for (let i = 0; i < replicas; i++) await proxy.runtime.setState(backendName(app), slotServerName(slot, i), state);
  });
}

async function probeTarget(docker: Docker, id: string, httpPort: number | null): Promise<ProbeTarget> {
  const info = await docker.getContainer(id).inspect();
  const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress ?? '';
  if (!address) throw new BerthError('START_FAILED', `${info.Name.replace(/^\//, '')} has no address on the ${BERTH_NETWORK} network.`);
  return { containerId: id, name: info.Name.replace(/^\//, ''), address, port: httpPort ?? 80 };
}

export async function removeContainer(docker: Docker, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true });
  } catch (error) {
    if (!isNotFound(error) && !/already in progress/.test(String(error))) throw asBerthError(error, 'DOCKER_ERROR', `Could not remove container ${id.slice(0, 12)}`);
  }
}

async function removeByName(docker: Docker, name: string): Promise<void> {
  if (name === '') return;
  await removeContainer(docker, name);
}
