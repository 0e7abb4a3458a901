import type Docker from 'dockerode';
import type { EdgeProxySettings, ProxyApplyResult } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { imageExists, isNotFound, pullImage } from '../deploy/docker-util';
import { LABEL } from '../deploy/labels';
import type { ServerLink } from '../ssh/server-link';
import { BERTH_NETWORK, EdgeProxy, PROXY_CONTAINER, PROXY_RESTART } from './edge-proxy';
import { PROXY_API_PORT, slotStateOf, type ServerStateRow } from './haproxy-config';
import { HaproxyRuntime } from './haproxy-runtime';
import { parseSettingsLabel, sameSettings } from './proxy-settings';

const NEXT = `${PROXY_CONTAINER}-next`;
const PREVIOUS = `${PROXY_CONTAINER}-previous`;
const UP_TIMEOUT_MS = 10_000;

/**
 * Replaces the server's edge proxy with one of these settings, only when asked. The old proxy serves until the new
 * one runs, answers and sees every app up: a pull or a start that fails leaves it as it was. On another port the
 * new one starts beside it; on the same port it first runs unpublished as a trial, then takes over the port (the old
 * one is put back if that fails).
 */
export async function applyProxySettings(link: ServerLink, settings: EdgeProxySettings, swarm: boolean): Promise<ProxyApplyResult> {
  const docker = link.docker;
  if (!(await imageExists(docker, settings.image))) await pullImage(docker, settings.image);
  const proxy = new EdgeProxy(link, settings, swarm);
  return proxy.withLock(async () => {
    const gateway = await proxy.networks();
    await removeNamed(docker, NEXT);
    const old = await proxy.inspectProxy();
    if (!old) {
      await proxy.adopt(await proxy.createContainer(PROXY_CONTAINER, settings, gateway, null, true), gateway);
      return { settings, replaced: true };
    }
    const current = parseSettingsLabel(old.Config.Labels?.[LABEL.proxySettings]);
    const restarts = old.HostConfig.RestartPolicy?.Name === PROXY_RESTART;
    if (old.State.Running && current && sameSettings(current, settings) && restarts) return { settings, replaced: false };

    const rows = old.State.Running ? await runtimeAt(link, old).serversState().catch(() => null) : null;
    const expected = await proxy.expectedBackends(gateway);
    const verify = (info: Docker.ContainerInspectInfo): Promise<void> => verifyProxy(link, info, expected, rows);

    if (current && current.httpPort !== settings.httpPort) {
      const next = await proxy.createContainer(NEXT, settings, gateway, rows, true);
      await verify(next).catch(async (error: unknown) => {
        await removeNamed(docker, NEXT);
        throw error;
      });
      await docker.getContainer(old.Id).remove({ force: true });
      await docker.getContainer(next.Id).rename({ name: PROXY_CONTAINER });
      await proxy.adopt(await docker.getContainer(next.Id).inspect(), gateway);
      return { settings, replaced: true };
    }

    const trial = await proxy.createContainer(NEXT, settings, gateway, rows, false);
    try {
      await verify(trial);
    } finally {
      await removeNamed(docker, NEXT);
    }
    await removeNamed(docker, PREVIOUS);
    const previous = docker.getContainer(old.Id);
    await previous.rename({ name: PREVIOUS });
    await previous.stop({ t: 2 }).catch(() => undefined);
    try {
      const next = await proxy.createContainer(PROXY_CONTAINER, settings, gateway, rows, true);
      await verify(next);
      await proxy.adopt(next, gateway);
    } catch (error) {
      await removeNamed(docker, PROXY_CONTAINER);
      await previous.rename({ name: PROXY_CONTAINER });
      if (old.State.Running) await previous.start().catch(() => undefined);
      throw error;
    }
    await previous.remove({ force: true });
    return { settings, replaced: true };
  });
}

function runtimeAt(link: ServerLink, info: Docker.ContainerInspectInfo): HaproxyRuntime {
  const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress;
  if (!address) throw new BerthError('PROXY_FAILED', `The edge proxy is not on the ${BERTH_NETWORK} network.`);
  return new HaproxyRuntime(() => link.forwardOut(address, PROXY_API_PORT));
}

/** A new proxy is good once it answers, has every app's backend, and sees up each app the old one routed. */
async function verifyProxy(link: ServerLink, info: Docker.ContainerInspectInfo, expected: string[], rows: ServerStateRow[] | null): Promise<void> {
  const runtime = runtimeAt(link, info);
  await runtime.waitAnswering();
  const backends = await runtime.backends();
  const missing = expected.filter((b) => !backends.includes(b));
  if (missing.length > 0) throw new BerthError('PROXY_FAILED', `The new edge proxy did not load the routes of ${missing.join(', ')}; the old one keeps serving.`);
  const serving = new Set((rows ?? []).filter((r) => r.opState === 2 && slotStateOf(r) === 'ready').map((r) => r.backend));
  for (const backend of serving) await runtime.waitAnyUp(backend, UP_TIMEOUT_MS);
}

async function removeNamed(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
}
