import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../../shared/errors';
import { EventBus } from '../../../electron/core/events/event-bus';
import { defaultConnectTimings, openSshConnection, type SshConnection } from '../../../electron/core/ssh/connection';
import { DockerAgent } from '../../../electron/core/ssh/docker-agent';
import { DockerStreams } from '../../../electron/core/ssh/docker-streams';
import { HostKeyTrust } from '../../../electron/core/ssh/host-key-trust';
import { createTestEngine, ownConnections, sandboxServer } from './harness';

const s1 = sandboxServer('s1');
let connection: SshConnection;
let streams: DockerStreams;
let agent: DockerAgent;
let docker: Docker;

beforeAll(async () => {
  const { paths } = createTestEngine();
  const trust = new HostKeyTrust({ bus: new EventBus(), home: paths.home, knownHostsPaths: [], trustedFingerprints: [s1.hostKeyFingerprint] });
  connection = await openSshConnection(
    { host: s1.host, port: s1.port, user: s1.user, auth: [{ kind: 'key', path: s1.keyPath, required: true }], jumps: [] },
    { trust, ...defaultConnectTimings },
  );
  // The sandbox's sshd allows stream forwarding; this stands in for one configured with AllowStreamLocalForwarding no.
  connection.openStreamLocal = () => Promise.reject(new BerthError('FORWARDING_REFUSED', 'administratively prohibited'));
  streams = new DockerStreams(connection, s1.dockerSocket, 's1');
  agent = new DockerAgent({ open: () => streams.open(), limit: () => streams.limit }, 's1');
  docker = new Docker({ protocol: 'http', host: 'docker', port: 80, agent } as Docker.DockerOptions);
});

afterAll(async () => {
  agent.destroy();
  await connection.close();
});

describe('when sshd refuses stream forwarding', () => {
  it('reaches Docker through docker system dial-stdio instead', async () => {
    await expect(docker.ping()).resolves.toBeDefined();
    expect(streams.limit).toBeLessThan(10);
  });

  it('keeps many concurrent calls within sshd\'s session limit, on one connection', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => docker.listContainers({ all: true })));
    expect(results).toHaveLength(40);
    await expect(ownConnections(s1.port)).resolves.toBe(1);
  });

  it('still runs commands alongside the dial-stdio sessions', async () => {
    await expect(connection.exec('echo still here')).resolves.toMatchObject({ code: 0, stdout: 'still here\n' });
  });
});
