import type Docker from 'dockerode';
import type { EdgeProxySettings } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import type { ServerLink } from '../ssh/server-link';
import { asBerthError, ensureNetwork, imageExists, isNotFound, pullImage } from '../deploy/docker-util';
import { KeyedLock } from '../deploy/keyed-lock';
import { LABEL, labelFilter, parseDomainsLabel } from '../deploy/labels';
import {
  backendName,
  PROXY_API_PORT,
  PROXY_CONFIG_DIR,
  PROXY_CONFIG_PATH,
  PROXY_LISTEN_PORT,
  parseServersState,
  type ProxyModel,
  type ServerStateRow,
} from './haproxy-config';
import { HaproxyRuntime, sleep } from './haproxy-runtime';
import { deriveRoutes, readShape, renderWithShape, shapeOf, type RoutedService, type SlotContainer } from './proxy-model';
import { settingsLabel } from './proxy-settings';
import { withServerLock } from './server-lock';
import { tarFiles, untarFirstFile } from './tar-file';

export const BERTH_NETWORK = 'berth';
export const SWARM_NETWORK = 'berth-swarm';
export const PROXY_CONTAINER = 'berth-proxy';
/**
 * Not unless-stopped: Docker 20.10 counts any signal sent through its API (the SIGUSR2 of a reload) as a manual
 * stop, and then leaves an unless-stopped proxy down after the daemon restarts.
 */
export const PROXY_RESTART = 'always';

/** One lock per server for everything that changes the proxy's config or states. */
const proxyLock = new KeyedLock();

interface ProxyEndpoint {
  containerId: string;
  address: string;
  gateway: string;
}

/**
 * Berth's HAProxy on one server: created on first use on the Berth network, its config derived from the labels of
 * what runs there, reloaded only when the routes' shape changes, and switched through its runtime API.
 */
export class EdgeProxy {
  private endpoint: ProxyEndpoint | undefined;
  readonly runtime: HaproxyRuntime;

  constructor(
    private readonly link: ServerLink,
    private readonly settings: EdgeProxySettings,
    private readonly swarm: boolean,
  ) {
    this.runtime = new HaproxyRuntime(async () => {
      if (!this.endpoint) throw new BerthError('PROXY_FAILED', 'The edge proxy is not running yet.');
      return this.link.forwardOut(this.endpoint.address, PROXY_API_PORT);
    });
  }

  private get docker(): Docker {
    return this.link.docker;
  }

  /** One change of config or states at a time: within this process, and across processes on the server. */
  withLock<T>(task: () => Promise<T>): Promise<T> {
    return proxyLock.run(this.link.serverId, () => withServerLock(this.link, task));
  }

  /**
   * Makes sure the networks and a running proxy exist; returns where its API is. A proxy already on the server keeps
   * its settings, whatever this Berth's entry says: only `apply` changes them.
   */
  async ensure(): Promise<ProxyEndpoint> {
    const gateway = await this.networks();
    let info = (await this.inspectProxy()) ?? (await this.createContainer(PROXY_CONTAINER, this.settings, gateway, null, true));
    if (this.swarm && !info.NetworkSettings.Networks[SWARM_NETWORK]) {
      await this.docker.getNetwork(SWARM_NETWORK).connect({ Container: info.Id });
      info = await this.docker.getContainer(info.Id).inspect();
    }
    if (!info.State.Running) {
      await this.docker.getContainer(info.Id).start();
      info = await this.docker.getContainer(info.Id).inspect();
    }
    return this.adopt(info, gateway);
  }

  /** Takes a running proxy container as the one this object talks to, once its API answers. */
  async adopt(info: Docker.ContainerInspectInfo, gateway: string): Promise<ProxyEndpoint> {
    const address = info.NetworkSettings.Networks[BERTH_NETWORK]?.IPAddress;
    if (!address) throw new BerthError('PROXY_FAILED', `The edge proxy is not on the ${BERTH_NETWORK} network.`);
    this.endpoint = { containerId: info.Id, address, gateway };
    await this.runtime.waitAnswering();
    return this.endpoint;
  }

  /** The Berth networks exist (the overlay one on a swarm); returns the bridge network's gateway. */
  async networks(): Promise<string> {
    const network = await ensureNetwork(this.docker, BERTH_NETWORK, { driver: 'bridge', labels: { [LABEL.managed]: 'true' } });
    if (this.swarm) await ensureNetwork(this.docker, SWARM_NETWORK, { driver: 'overlay', labels: { [LABEL.managed]: 'true' } });
    const gateway = network.IPAM?.Config?.[0]?.Gateway;
    if (!gateway) throw new BerthError('PROXY_FAILED', `The ${BERTH_NETWORK} network has no gateway address.`);
    return gateway;
  }

  /**
   * Starts a proxy found stopped (after Docker restarted, say) and routes what runs again; false when none was down.
   * A proxy made with another restart policy gets the one that survives a daemon restart.
   */
  revive(): Promise<boolean> {
    return this.withLock(async () => {
      const info = await this.inspectProxy();
      if (!info) return false;
      if (info.HostConfig.RestartPolicy?.Name !== PROXY_RESTART) await this.docker.getContainer(info.Id).update({ RestartPolicy: { Name: PROXY_RESTART } });
      if (info.State.Running) return false;
      // the states in its file may be older than what runs now: each app's newest running slot is routed again
      const endpoint = await this.ensure();
      const model = await this.currentModel(endpoint.gateway, null);
      await this.writeConfig(endpoint.containerId, renderWithShape(model));
      await this.reload(endpoint.containerId, model);
      return true;
    });
  }

  /**
   * Brings the config in line with what runs on the server. Reloads (gracefully: a new worker takes over the
   * listeners while the old one finishes its connections) only when the shape changed; otherwise at most rewrites the
   * file so a restarted proxy comes back with the current states.
   */
  sync(): Promise<{ reloaded: boolean }> {
    return this.withLock(() => this.syncLocked());
  }

  private async syncLocked(): Promise<{ reloaded: boolean }> {
    const endpoint = this.endpoint ?? (await this.ensure());
    const state = await this.runtime.command('show servers state');
    const model = await this.currentModel(endpoint.gateway, parseServersState(state));
    const current = await this.readConfig(endpoint.containerId);
    const next = renderWithShape(model);
    if (current !== null && readShape(current) === shapeOf(model)) {
      // same routes: keep the file's states and addresses current for a proxy that restarts later
      if (current !== next) await this.writeConfig(endpoint.containerId, next);
      return { reloaded: false };
    }
    await this.writeConfig(endpoint.containerId, next);
    await this.reload(endpoint.containerId, model);
    return { reloaded: true };
  }

  /** Rewrites the config with the runtime's current states (no reload). */
  persist(): Promise<void> {
    return this.withLock(async () => {
      await this.syncLocked();
    });
  }

  /** Without rows (a proxy created afresh) each app's newest running slot is routed again. */
  private async currentModel(gateway: string, rows: ServerStateRow[] | null): Promise<ProxyModel> {
    const containers = this.swarm ? [] : await this.slotContainers();
    const services = this.swarm ? await this.routedServices() : [];
    return {
      listenPort: PROXY_LISTEN_PORT,
      apiPort: PROXY_API_PORT,
      apiAllowedSource: gateway,
      apps: deriveRoutes(containers, services, rows ?? [], rows === null),
    };
  }

  private async slotContainers(): Promise<SlotContainer[]> {
    const list = await this.docker.listContainers({ filters: { label: labelFilter({ [LABEL.managed]: 'true', [LABEL.role]: 'app' }) } });
    const out: SlotContainer[] = [];
    for (const c of list) {
      const l = c.Labels ?? {};
      const app = l[LABEL.app];
      const slot = l[LABEL.slot];
      const port = Number(l[LABEL.port]);
      if (!app || !slot || !Number.isFinite(port) || port <= 0) continue;
      out.push({ app, slot, replica: Number(l[LABEL.replica] ?? 0), seq: Number(l[LABEL.seq] ?? 0), port, domains: parseDomainsLabel(l[LABEL.domains]) });
    }
    return out;
  }

  private async routedServices(): Promise<RoutedService[]> {
    const list = await this.docker.listServices({ filters: { label: labelFilter({ [LABEL.managed]: 'true' }) } });
    const out: RoutedService[] = [];
    for (const s of list) {
      const l = s.Spec?.Labels ?? {};
      const app = l[LABEL.app];
      const port = Number(l[LABEL.port]);
      if (!app || !Number.isFinite(port) || port <= 0) continue;
      out.push({
        app,
        port,
        domains: parseDomainsLabel(l[LABEL.domains]),
        replicas: s.Spec?.Mode?.Replicated?.Replicas ?? 1,
        healthPath: l[LABEL.healthPath] || null,
      });
    }
    return out;
  }

  async inspectProxy(): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.docker.getContainer(PROXY_CONTAINER).inspect();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw asBerthError(error, 'PROXY_FAILED', 'Could not inspect the edge proxy');
    }
  }

  /**
   * Creates and starts a proxy container with the routes of what runs now (states from `rows`, or each app's newest
   * slot): published on the host when `publish`, or on the Berth network only for a trial run beside the live one.
   */
  async createContainer(name: string, settings: EdgeProxySettings, gateway: string, rows: ServerStateRow[] | null, publish: boolean): Promise<Docker.ContainerInspectInfo> {
    const image = settings.image;
    if (!(await imageExists(this.docker, image))) await pullImage(this.docker, image);
    // rendered before anything is created: a config that cannot be written leaves no proxy behind without one
    const config = renderWithShape(await this.currentModel(gateway, rows));
    const port = `${PROXY_LISTEN_PORT}/tcp`;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        name,
        Image: image,
        // Master-worker mode: SIGUSR2 reloads with a new worker that takes the listeners over.
        Cmd: ['-W', '-db', '-f', PROXY_CONFIG_PATH],
        Labels: { [LABEL.managed]: 'true', [LABEL.role]: 'proxy', [LABEL.proxySettings]: settingsLabel(settings, this.swarm) },
        ExposedPorts: { [port]: {} },
        HostConfig: {
          NetworkMode: BERTH_NETWORK,
          PortBindings: publish ? { [port]: [{ HostIp: settings.bindAddress, HostPort: String(settings.httpPort) }] } : {},
          RestartPolicy: { Name: publish ? PROXY_RESTART : '' },
          Init: true,
        },
      });
    } catch (error) {
      throw asBerthError(error, 'PROXY_FAILED', 'Could not create the edge proxy');
    }
    if (this.swarm) await this.docker.getNetwork(SWARM_NETWORK).connect({ Container: container.id });
    await this.writeConfig(container.id, config);
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw asBerthError(error, 'PROXY_FAILED', `Could not start the edge proxy on ${settings.bindAddress}:${settings.httpPort}`);
    }
    return container.inspect();
  }

  /** The backends every app needs, for checking that a new proxy loaded the routes. */
  async expectedBackends(gateway: string): Promise<string[]> {
    return (await this.currentModel(gateway, [])).apps.map((a) => backendName(a.app));
  }

  private async readConfig(containerId: string): Promise<string | null> {
    try {
      const stream = await this.docker.getContainer(containerId).getArchive({ path: PROXY_CONFIG_PATH });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return untarFirstFile(Buffer.concat(chunks))?.content.toString('utf8') ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw asBerthError(error, 'PROXY_FAILED', 'Could not read the edge proxy config');
    }
  }

  private async writeConfig(containerId: string, config: string): Promise<void> {
    const tar = tarFiles([{ name: 'haproxy.cfg', content: Buffer.from(config, 'utf8') }]);
    try {
      await this.docker.getContainer(containerId).putArchive(tar, { path: PROXY_CONFIG_DIR });
    } catch (error) {
      throw asBerthError(error, 'PROXY_FAILED', 'Could not write the edge proxy config');
    }
  }

  /** Signals the master, then waits until a new worker (another pid) answers with every backend in place. */
  private async reload(containerId: string, model: ProxyModel): Promise<void> {
    const before = await this.workerPid();
    await this.docker.getContainer(containerId).kill({ signal: 'SIGUSR2' });
    const expected = model.apps.map((a) => backendName(a.app));
    const deadline = Date.now() + 10_000;
    let confirmations = 0;
    for (;;) {
      const pid = await this.workerPid().catch(() => null);
      const backends = pid !== null && pid !== before ? await this.runtime.backends().catch(() => []) : [];
      confirmations = pid !== null && pid !== before && expected.every((b) => backends.includes(b)) ? confirmations + 1 : 0;
      if (confirmations >= 2) return;
      if (Date.now() > deadline) {
        throw new BerthError('PROXY_FAILED', 'The edge proxy did not load its new config; the previous one keeps serving. See `docker logs berth-proxy`.');
      }
      await sleep(50);
    }
  }

  private async workerPid(): Promise<string | null> {
    const info = await this.runtime.command('show info');
    return /^Pid:\s*(\d+)/m.exec(info)?.[1] ?? null;
  }
}
