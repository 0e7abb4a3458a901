import { describe, expect, it } from 'vitest';
import { containerSpec } from '../../../electron/core/deploy/container-spec';
import { healthTest, serviceSpec } from '../../../electron/core/swarm/service-spec';
import { runtimeSnapshot } from './fixtures';

const id = { app: 'web', deploymentId: 'web-7-abcdef', seq: 7, commit: 'c0ffee', owner: 'ada@laptop' };

describe('the container of a standalone release', () => {
  it('runs on the Berth network under its slot name, with init, limits, mounts and labels', () => {
    const config = runtimeSnapshot({
      limits: { cpus: 0.5, memoryMb: 256 },
      volumes: [{ source: 'data', target: '/data', readOnly: false }, { source: '/srv/cfg', target: '/cfg', readOnly: true }],
      labels: { team: 'a' },
      domains: ['web.test'],
      command: ['serve', '--fast'],
    });
    const spec = containerSpec(id, config, { image: 'web:7', slot: 'b', replica: 1 }, ['A=1']);
    expect(spec.name).toBe('web-7-1');
    expect(spec.Cmd).toEqual(['serve', '--fast']);
    expect(spec.HostConfig).toMatchObject({ Init: true, NetworkMode: 'berth', NanoCpus: 500_000_000, Memory: 256 * 1024 * 1024 });
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false },
      { Type: 'bind', Source: '/srv/cfg', Target: '/cfg', ReadOnly: true },
    ]);
    expect(spec.NetworkingConfig?.EndpointsConfig?.berth?.Aliases).toEqual(['b1.web.berth']);
    expect(spec.Labels).toMatchObject({ team: 'a', 'berth.app': 'web', 'berth.deployment': 'web-7-abcdef', 'berth.slot': 'b', 'berth.replica': '1', 'berth.commit': 'c0ffee', 'berth.domains': 'web.test' });
  });
});

describe('the service of a Swarm release', () => {
  it('carries the health check, start-first updates with rollback, and DNS round-robin endpoints', () => {
    const spec = serviceSpec(id, runtimeSnapshot({ replicas: 2 }), { image: 'web:7', env: ['A=1'], network: 'berth-swarm' });
    expect(spec.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback', Parallelism: 1 });
    expect(spec.EndpointSpec?.Mode).toBe('dnsrr');
    expect(spec.Mode?.Replicated?.Replicas).toBe(2);
    const container = (spec.TaskTemplate as { ContainerSpec: { HealthCheck: { Test: string[]; Interval: number; Retries: number } } }).ContainerSpec;
    expect(container.HealthCheck).toMatchObject({ Test: ['CMD-SHELL', "wget -q -O /dev/null 'http://127.0.0.1:8080/health' || exit 1"], Interval: 500_000_000, Retries: 3 });
    expect(spec.TaskTemplate?.ForceUpdate).toBe(7);
  });

  it('updates stop-first when the app publishes ports on the node', () => {
    const spec = serviceSpec(id, runtimeSnapshot({ published: [{ container: 53, published: 53, protocol: 'udp', hostIp: '' }] }), { image: 'x', env: [], network: 'n' });
    expect(spec.UpdateConfig?.Order).toBe('stop-first');
    expect(spec.EndpointSpec?.Ports).toEqual([{ Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'host' }]);
  });

  it('turns each kind of probe into an engine health test', () => {
    expect(healthTest({ kind: 'tcp', intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 0 }, 3000)).toEqual(['CMD-SHELL', 'nc -z 127.0.0.1 3000 || exit 1']);
    expect(healthTest({ kind: 'command', command: ['check'], intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 0 }, null)).toEqual(['CMD', 'check']);
    expect(healthTest({ kind: 'none', intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 0 }, null)).toEqual(['NONE']);
  });
});
