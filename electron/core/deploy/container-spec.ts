import type Docker from 'dockerode';
import type { RuntimeSnapshot } from '../../../shared/api/deployments';
import { BERTH_NETWORK } from '../proxy/edge-proxy';
import { slotHost } from '../proxy/proxy-model';
import { LABEL, domainsLabel, type Labels } from './labels';

/** Everything that identifies one release's container besides its runtime config. */
export interface ReleaseIdentity {
  app: string;
  deploymentId: string;
  seq: number;
  commit: string | null;
  /** `user@host` of the Berth that deploys it. */
  owner: string;
}

export function containerName(app: string, seq: number, replica: number): string {
  return `${app}-${seq}-${replica}`;
}

/** The app's own labels never stand in for Berth's: any in the `berth.` namespace (an older record's) is left out. */
export function releaseLabels(id: ReleaseIdentity, config: RuntimeSnapshot): Labels {
  const own = Object.fromEntries(Object.entries(config.labels).filter(([key]) => !key.toLowerCase().startsWith('berth.')));
  return {
    ...own,
    [LABEL.managed]: 'true',
    [LABEL.role]: 'app',
    [LABEL.app]: id.app,
    [LABEL.deployment]: id.deploymentId,
    [LABEL.owner]: id.owner,
    [LABEL.seq]: String(id.seq),
    [LABEL.commit]: id.commit ?? '',
    [LABEL.port]: config.httpPort === null ? '' : String(config.httpPort),
    [LABEL.domains]: domainsLabel(config.domains),
    [LABEL.healthPath]: config.healthCheck.kind === 'http' ? config.healthCheck.path : '',
  };
}

export function mounts(config: RuntimeSnapshot): Docker.MountSettings[] {
  return config.volumes.map((v) => ({
    Type: v.source.startsWith('/') ? ('bind' as const) : ('volume' as const),
    Source: v.source,
    Target: v.target,
    ReadOnly: v.readOnly,
  }));
}

/**
 * The create options of one replica of a standalone release: on the Berth network under its slot's DNS name, with
 * an init process (so a shell or busybox as PID 1 still stops on SIGTERM), limits, mounts and published ports.
 * `env` holds the opened `KEY=value` pairs; it is built right before the call and never stored.
 */
export function containerSpec(
  id: ReleaseIdentity,
  config: RuntimeSnapshot,
  placement: { image: string; slot: string; replica: number },
  env: string[],
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  if (config.httpPort !== null) exposed[`${config.httpPort}/tcp`] = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of config.published) {
    const key = `${p.container}/${p.protocol}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostIp: p.hostIp, HostPort: String(p.published) }];
  }
  return {
    name: containerName(id.app, id.seq, placement.replica),
    Image: placement.image,
    Env: env,
    ...(config.command ? { Cmd: config.command } : {}),
    Labels: { ...releaseLabels(id, config), [LABEL.slot]: placement.slot, [LABEL.replica]: String(placement.replica) },
    ExposedPorts: exposed,
    HostConfig: {
      Init: true,
      NetworkMode: BERTH_NETWORK,
      RestartPolicy: { Name: config.restart === 'no' ? '' : config.restart },
      ...(config.limits.cpus ? { NanoCpus: Math.round(config.limits.cpus * 1e9) } : {}),
      ...(config.limits.memoryMb ? { Memory: config.limits.memoryMb * 1024 * 1024 } : {}),
      Mounts: mounts(config),
      PortBindings: bindings,
    },
    NetworkingConfig: {
      EndpointsConfig: { [BERTH_NETWORK]: { Aliases: [slotHost(id.app, placement.slot, placement.replica)] } },
    },
  };
}
