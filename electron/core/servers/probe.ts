import type Docker from 'dockerode';
import { createDocker } from '../docker/dockerode';
import type { ProbeInput, ProbeResult } from '../../../shared/api/servers';
import { openSshConnection, type ConnectOptions } from '../ssh/connection';
import { DockerAgent } from '../ssh/docker-agent';
import { DockerStreams } from '../ssh/docker-streams';
import { dockerCallError } from '../ssh/errors';
import type { z } from 'zod';

type ParsedProbe = z.output<typeof ProbeInput>;

/**
 * A one-off check of a server before it is added: SSH in with the given key (the host-key question applies),
 * reach Docker through that connection, report what answered, and close everything.
 */
export async function probeServer(input: ParsedProbe, options: Omit<ConnectOptions, 'signal'>): Promise<ProbeResult> {
  const started = performance.now();
  const connection = await openSshConnection(
    {
      host: input.host,
      port: input.port,
      user: input.user,
      auth: [{ kind: 'key', path: input.keyPath, required: true, ...(input.passphrase ? { passphrase: input.passphrase } : {}) }],
      jumps: [],
    },
    options,
  );
  const streams = new DockerStreams(connection, input.dockerSocket, input.host);
  const agent = new DockerAgent({ open: () => streams.open(), limit: () => streams.limit }, `probe ${input.host}`);
  try {
    const docker = createDocker({ protocol: 'http', host: 'docker', port: 80, agent } as Docker.DockerOptions);
    const [version, info] = await Promise.all([docker.version(), docker.info()]).catch((error: unknown) => {
      throw dockerCallError(error, input.dockerSocket, input.host, input.user);
    });
    return {
      dockerVersion: version.Version,
      apiVersion: version.ApiVersion,
      daemonId: String(info.ID ?? ''),
      os: String(info.OperatingSystem ?? version.Os ?? ''),
      arch: String(info.Architecture ?? version.Arch ?? ''),
      hostKeyFingerprint: connection.hostKeyFingerprint,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    agent.destroy();
    await connection.close();
  }
}
