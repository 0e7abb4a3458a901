import type Docker from 'dockerode';
import type { HealthCheck } from '../../../shared/api/apps';
import type { RuntimeSnapshot } from '../../../shared/api/deployments';
import { mounts, releaseLabels, type ReleaseIdentity } from '../deploy/container-spec';
import { shellQuote } from '../ssh/remote-exec';

const NS_PER_MS = 1_000_000;

/** Docker's HEALTHCHECK test for a probe: run inside the container, so an http probe needs wget (busybox has it). */
export function healthTest(check: HealthCheck, httpPort: number | null): string[] {
  switch (check.kind) {
    case 'http': {
      const url = `http://127.0.0.1:${check.port ?? httpPort ?? 80}${check.path}`;
      // busybox wget: no -T (Debian 12's build crashes with it); the engine's own timeout bounds the probe
      return ['CMD-SHELL', `wget -q -O /dev/null ${shellQuote(url)} || exit 1`];
    }
    case 'tcp':
      return ['CMD-SHELL', `nc -z 127.0.0.1 ${check.port ?? httpPort ?? 80} || exit 1`];
    case 'command':
      return ['CMD', ...check.command];
    case 'none':
      return ['NONE'];
  }
}

/** How long Swarm watches a freshly updated task for failure before it counts the step done. */
export function monitorMs(check: HealthCheck): number {
  return check.kind === 'none' ? 2000 : Math.max(2000, check.intervalMs * 2);
}

/**
 * The service of one release, like Dokploy's Swarm settings: the health check as the engine's HEALTHCHECK,
 * start-first updates that roll back by themselves on failure, and DNS round-robin endpoints, which the edge proxy
 * resolves (this keeps working where the kernel has no IPVS for Swarm's virtual IPs).
 * Published ports cannot be held twice on one node, so such services update stop-first.
 */
export function serviceSpec(
  id: ReleaseIdentity,
  config: RuntimeSnapshot,
  options: { image: string; env: string[]; network: string },
): Docker.ServiceSpec & { Labels: Record<string, string> } {
  const check = config.healthCheck;
  const order = config.published.length > 0 ? 'stop-first' : 'start-first';
  const labels = releaseLabels(id, config);
  const condition = config.restart === 'no' ? 'none' : config.restart === 'on-failure' ? 'on-failure' : 'any';
  return {
    Name: id.app,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: options.image,
        Env: options.env,
        ...(config.command ? { Args: config.command } : {}),
        Labels: labels,
        Init: true,
        Mounts: mounts(config),
        HealthCheck: {
          Test: healthTest(check, config.httpPort),
          Interval: check.intervalMs * NS_PER_MS,
          Timeout: check.timeoutMs * NS_PER_MS,
          Retries: check.retries,
          StartPeriod: check.startPeriodMs * NS_PER_MS,
        },
        StopGracePeriod: 10_000 * NS_PER_MS,
      } as Docker.ContainerSpec,
      Resources: {
        Limits: {
          ...(config.limits.cpus ? { NanoCPUs: Math.round(config.limits.cpus * 1e9) } : {}),
          ...(config.limits.memoryMb ? { MemoryBytes: config.limits.memoryMb * 1024 * 1024 } : {}),
        },
      },
      RestartPolicy: { Condition: condition, Delay: 1000 * NS_PER_MS },
      Networks: [{ Target: options.network }],
      // the seq makes every deployment a real update, even of an identical spec (a redeploy)
      ForceUpdate: id.seq,
    },
    Mode: { Replicated: { Replicas: config.replicas } },
    UpdateConfig: {
      Parallelism: 1,
      Delay: 0,
      FailureAction: 'rollback',
      Monitor: monitorMs(check) * NS_PER_MS,
      MaxFailureRatio: 0,
      Order: order,
    },
    RollbackConfig: {
      Parallelism: 1,
      Delay: 0,
      FailureAction: 'pause',
      Monitor: 1000 * NS_PER_MS,
      MaxFailureRatio: 0,
      Order: order,
    },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: config.published.map((p) => ({
        Protocol: p.protocol,
        TargetPort: p.container,
        PublishedPort: p.published,
        PublishMode: 'host' as const,
      })),
    },
  };
}
