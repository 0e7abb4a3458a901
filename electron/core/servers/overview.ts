import type { Server, ServerOverview, ServerStatus } from '../../../shared/api/servers';
import { dockerCallError } from '../ssh/errors';
import { shellQuote } from '../ssh/remote-exec';
import type { ServerLink } from '../ssh/server-link';

type SwarmState = NonNullable<ServerOverview['docker']>['swarm'];
const swarmStates: readonly SwarmState[] = ['inactive', 'pending', 'active', 'error', 'locked'];

/** Free and total bytes from `df -Pk PATH` (POSIX format, sizes in KiB); null when the output is not that. */
export function parseDf(output: string): { freeBytes: number; totalBytes: number } | null {
  const line = output.trim().split('\n').slice(1).join(' ');
  const fields = line.trim().split(/\s+/);
  const total = Number(fields[1]);
  const available = Number(fields[3]);
  if (fields.length < 6 || !Number.isFinite(total) || !Number.isFinite(available)) return null;
  return { freeBytes: available * 1024, totalBytes: total * 1024 };
}

/** What the server view shows: Docker and OS versions, capacity, disk left where Docker keeps its data, swarm. */
export async function readOverview(link: ServerLink, server: Server, status: () => ServerStatus): Promise<ServerOverview> {
  const [info, version] = await Promise.all([link.docker.info(), link.docker.version()]).catch((error: unknown) => {
    throw dockerCallError(error, server.dockerSocket, server.name, server.user);
  });
  const rootDir = String(info.DockerRootDir ?? '');
  const df = rootDir ? await link.exec(`df -Pk ${shellQuote(rootDir)}`, { timeoutMs: 10_000 }).catch(() => null) : null;
  const swarm = swarmStates.find((state) => state === info.Swarm?.LocalNodeState) ?? 'inactive';
  return {
    serverId: server.id,
    status: status(),
    docker: {
      version: version.Version,
      apiVersion: version.ApiVersion,
      daemonId: String(info.ID ?? ''),
      os: String(info.OperatingSystem ?? version.Os ?? ''),
      kernel: String(info.KernelVersion ?? version.KernelVersion ?? ''),
      arch: String(info.Architecture ?? version.Arch ?? ''),
      cpus: Number(info.NCPU ?? 0),
      memoryBytes: Number(info.MemTotal ?? 0),
      dockerRootDir: rootDir,
      disk: df && df.code === 0 ? parseDf(df.stdout) : null,
      swarm,
      swarmManager: Boolean(info.Swarm?.ControlAvailable),
      containers: {
        total: Number(info.Containers ?? 0),
        running: Number(info.ContainersRunning ?? 0),
        stopped: Number(info.ContainersStopped ?? 0),
        paused: Number(info.ContainersPaused ?? 0),
      },
      images: Number(info.Images ?? 0),
    },
    refreshedAt: new Date().toISOString(),
  };
}
